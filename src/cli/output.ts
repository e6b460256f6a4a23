import type { LiteResponse } from "../http/lite.js";
import { itemsOf, pick } from "../output/items.js";
import { printJson } from "../output/json.js";
import { createWriter, type Format, type ItemWriter } from "../output/writers.js";
import { AnswerError, UsageError } from "../platform/errors.js";
import { lazyRequire } from "../platform/lazy-require.js";
import { escapeControls } from "../platform/terminal-text.js";
import type { ApiModel, OperationModel, PagingModel } from "../spec/model.js";
import type { CliIO } from "./io.js";
import type { ParsedArgs } from "./parse.js";

export interface OutputPlan {
  format: Format;
  query?: (value: unknown) => unknown;
  columns?: string[];
  /** The columns came from --columns (else from the document, for lists). */
  explicitColumns?: boolean;
  /** Where a page keeps its total (for the footer), as the document says. */
  paging?: PagingModel;
}

/**
 * JMESPath's legacy literal (`` `foo` ``, an aws and jp habit) as the JSON literal it means
 * (`` `"foo"` ``); literals that are JSON already stay as they are.
 */
export function legacyLiterals(expr: string): string {
  return expr.replace(/`((?:\\`|[^`])*)`/g, (m, body: string) => {
    const text = body.replace(/\\`/g, "`");
    try {
      JSON.parse(text);
      return m;
    } catch {
      return `\`${JSON.stringify(text.trim()).replace(/`/g, "\\`")}\``;
    }
  });
}

/** --output, --query (JMESPath) and --columns, checked before anything is sent. */
export async function outputPlan(args: ParsedArgs, model: ApiModel, op: OperationModel): Promise<OutputPlan> {
  const format = (args.str("output") ?? "json") as Format;
  const plan: OutputPlan = { format, ...(op.paging ? { paging: op.paging } : {}) };
  const expr = args.str("query");
  if (expr) {
    type Jmes = typeof import("@jmespath-community/jmespath");
    const mod = lazyRequire("@jmespath-community/jmespath") as Jmes & { default?: Jmes };
    const jp = mod.default ?? mod;
    let ast: ReturnType<typeof jp.compile>;
    try {
      ast = jp.compile(legacyLiterals(expr));
    } catch (err) {
      throw new UsageError(`--query: ${(err as Error).message}`);
    }
    plan.query = (v) => jp.TreeInterpreter.search(ast, v as Parameters<typeof jp.search>[0]);
  }
  const columns = args.str("columns");
  const tabular = format === "table" || format === "wide" || format === "csv";
  if (columns) {
    plan.columns = columns
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean);
    plan.explicitColumns = true;
    if (op.responseSchema && !expr) await checkColumns(model, op, plan.columns);
  } else if (tabular && op.responseSchema && !expr) {
    const { columnsFromSchema } = await import("../spec/schema-columns.js");
    const cols = columnsFromSchema(model.schemas, op.responseSchema, format === "wide");
    if (cols) plan.columns = cols;
  }
  return plan;
}

/** --columns names that the response's items cannot have are refused before anything is sent. */
async function checkColumns(model: ApiModel, op: OperationModel, columns: string[]): Promise<void> {
  const { unknownColumns } = await import("../spec/schema-columns.js");
  const { parseColumn } = await import("../output/columns.js");
  const r = unknownColumns(
    model.schemas,
    op.responseSchema,
    columns.map((c) => parseColumn(c).path),
  );
  if (r && r.unknown.length > 0)
    throw new UsageError(
      `--columns: ${op.id}'s items have no ${r.unknown.map((u) => `"${u}"`).join(", ")}; valid: ${r.valid.join(", ")} (dot paths reach nested fields, NAME=path names a column)`,
    );
}

export function writerFor(plan: OutputPlan, io: CliIO): Promise<ItemWriter> {
  return createWriter(plan.format, io.stdout, {
    env: io.env,
    now: io.now,
    ...(plan.columns ? { columns: plan.columns } : {}),
  });
}

/** One response: JSON is queried and formatted; anything else is printed as it came. */
export async function printResponse(res: LiteResponse, plan: OutputPlan, io: CliIO): Promise<void> {
  const text = await res.text();
  if (text === "") return;
  const type = res.headers.get("content-type") ?? "";
  let value: unknown;
  try {
    value = /json/i.test(type) || /^[[{"]/.test(text.trimStart()) ? JSON.parse(text) : undefined;
  } catch (err) {
    // -o raw asked for the bytes; anything else would print them as if they were the answer.
    if (/json/i.test(type) && plan.format !== "raw")
      throw new AnswerError(
        `the answer says ${type.split(";")[0]} but is not JSON (${(err as Error).message}; ${text.length} bytes); -o raw or --debug shows it`,
      );
    value = undefined;
  }
  if (value === undefined) {
    const shown = io.stdout.isTTY ? escapeControls(text, true) : text;
    io.stdout.write(shown.endsWith("\n") ? shown : `${shown}\n`);
    return;
  }
  if (plan.query) value = plan.query(value);
  if (plan.format === "json") return printJson(value, io.stdout, io.env);
  if (plan.format === "yaml" && !Array.isArray(value)) {
    const { dump } = lazyRequire("js-yaml") as typeof import("js-yaml");
    const yaml = dump(value, { lineWidth: -1, noRefs: true });
    io.stdout.write(io.stdout.isTTY ? escapeControls(yaml, true) : yaml);
    return;
  }
  // Lists (and paged results) become one item per row/line; anything else is one item.
  const items = plan.format === "yaml" ? undefined : itemsOf(value);
  const tabular = plan.format === "table" || plan.format === "wide";
  // One object (not a list) is a KEY/VALUE view in a table, unless columns were asked for.
  const single = !items && tabular && !plan.explicitColumns;
  const writer = await writerFor(single ? { ...plan, columns: [] } : plan, io);
  for (const item of items ?? [value]) writer.item(item);
  await writer.end();
  // The footer is for the person: on stderr, so that stdout stays rows alone.
  const total = plan.paging?.total;
  if (tabular && total && value && typeof value === "object" && pick(value, total) !== undefined) {
    const of = pick(value, total);
    const count = plan.paging?.count ? pick(value, plan.paging.count) : undefined;
    const start = plan.paging?.start ? pick(value, plan.paging.start) : undefined;
    const shown = Number(count ?? items?.length ?? 1);
    io.stderr.write(
      // Numbers from the answer, escaped as every other server text: a hostile total is no escape sequence.
      `${escapeControls(`opcli: ${shown} of ${String(of)} (from ${String(start ?? 0)})${Number(of) > shown ? "; --all for every one" : ""}`)}\n`,
    );
  }
}
