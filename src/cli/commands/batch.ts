import { parseArgPairs } from "../../client/arg-pairs.js";
import { type BatchItem, type Outcome, runBatch } from "../../client/batch.js";
import { type CallInput, errorSummary, paramsAsPairs } from "../../client/call.js";
import type { Client } from "../../client/client.js";
import { createWriter, type Format } from "../../output/writers.js";
import { UsageError } from "../../platform/errors.js";
import { EXIT, exitCodeFor, exitForStatus, SEVERITY } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { type ParsedArgs, parseArgv } from "../parse.js";
import { callInput } from "./context.js";
import { dryRunReport } from "./destructive.js";

// --batch FILE|-: one operation per NDJSON line (a JSON object, or the same flags as a string),
// run concurrently, one NDJSON result line per input line in completion order, a summary on
// stderr, and the exit code of the worst failure.

interface JsonLine {
  operationId?: unknown;
  endpointArgs?: unknown;
  urlSuffix?: unknown;
  data?: unknown;
}

function pairs(v: unknown, what: string) {
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return parseArgPairs(v, what);
  return paramsAsPairs(v as Record<string, unknown>, what);
}

/** Splits a flags string on whitespace, honouring single and double quotes. */
function words(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3]!));
  return out;
}

async function itemFromFlags(index: number, text: string, io: CliIO, validate: boolean): Promise<BatchItem> {
  const args = parseArgv(words(text));
  const operationId = args.str("operation-id");
  if (!operationId) throw new UsageError("operationId is missing");
  const input = await callInput(args, io);
  return { index, operationId, input: { ...input, validate: validate && input.validate !== false } };
}

function itemFromJson(index: number, l: JsonLine, validate: boolean): BatchItem {
  if (typeof l !== "object" || l === null || Array.isArray(l))
    throw new UsageError("a line must be a JSON object or flags");
  if (typeof l.operationId !== "string") throw new UsageError("operationId is missing");
  const input: CallInput = {
    endpointArgs: pairs(l.endpointArgs, "endpointArgs"),
    urlSuffix: pairs(l.urlSuffix, "urlSuffix"),
    validate,
    ...(l.data !== undefined
      ? { data: { text: typeof l.data === "string" ? l.data : JSON.stringify(l.data) } }
      : {}),
  };
  return { index, operationId: l.operationId, input };
}

/** A line as a batch item; a line that cannot be read becomes an item that reports why. */
async function lineItem(index: number, text: string, io: CliIO, validate: boolean): Promise<BatchItem> {
  try {
    let parsed: unknown = text;
    if (/^\s*[{"]/.test(text)) {
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new UsageError(`not valid JSON: ${(err as Error).message}`);
      }
    }
    if (typeof parsed === "string") return await itemFromFlags(index, parsed, io, validate);
    return itemFromJson(index, parsed as JsonLine, validate);
  } catch (failure) {
    return { index, failure };
  }
}

function exitOf(o: Outcome): number {
  const f = o.failure as { status?: unknown } | undefined;
  if (o.status !== undefined && !o.ok) return exitForStatus(o.status);
  return exitCodeFor(f);
}

function summarise(outcomes: Outcome[], notStarted: number, interrupted: boolean, io: CliIO): number {
  const failed = outcomes.filter((o) => !o.ok);
  const byStatus = new Map<string, number>();
  for (const f of failed) {
    const k = f.status ? `HTTP ${f.status}` : "error";
    byStatus.set(k, (byStatus.get(k) ?? 0) + 1);
  }
  const detail = [...byStatus]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}: ${n}`)
    .join(", ");
  io.stderr.write(
    `opcli: batch: ${outcomes.length - failed.length} ok, ${failed.length} failed${detail ? ` (${detail})` : ""}${interrupted ? `; interrupted, ${notStarted} not started` : ""}\n`,
  );
  const codes = new Set(failed.map(exitOf));
  if (interrupted) codes.add(EXIT.interrupted);
  return SEVERITY.find((c) => codes.has(c)) ?? EXIT.ok;
}

// Flags of one request that have no meaning for many: refused rather than silently ignored.
const SINGLE_ONLY = ["curl", "all", "max-items", "resume", "show-token", "ignore-not-found"] as const;

/** Refuses a flag that --batch cannot honour (exit 2), so no flag is quietly dropped. */
function checkBatchFlags(args: ParsedArgs): void {
  for (const flag of SINGLE_ONLY)
    if (args.has(flag))
      throw new UsageError(
        `--${flag} does not go with --batch${flag === "curl" ? " (--dry-run shows every request a batch would send)" : ""}`,
      );
  for (const flag of ["operation-id", "data", "endpoint-args", "url-suffix"] as const)
    if (args.has(flag)) throw new UsageError(`--${flag} does not go with --batch: each line names its own`);
}

/** Runs the batch; returns the exit code (the worst line's). --dry-run reports each line, sends nothing that changes. */
export async function batchCommand(client: Client, args: ParsedArgs, io: CliIO): Promise<number> {
  checkBatchFlags(args);
  const dry = args.bool("dry-run");
  const source = args.str("batch")!;
  const text = source === "-" ? await io.readStdin() : io.readFile(source);
  const validate = !args.bool("no-validate");
  const lines = text
    .split("\n")
    .map((l, i) => ({ text: l.trim(), index: i }))
    .filter((l) => l.text !== "");
  const items = await Promise.all(lines.map((l) => lineItem(l.index, l.text, io, validate)));
  let stop = false;
  io.onInterrupt?.(() => {
    stop = true;
  });
  // Result lines go through the output writer: NDJSON unless -o says otherwise.
  const format = (args.str("output") ?? "ndjson") as Format;
  const columns = args
    .str("columns")
    ?.split(",")
    .map((c) => c.trim())
    .filter(Boolean);
  const writer = await createWriter(format, io.stdout, {
    env: io.env,
    now: io.now,
    ...(columns ? { columns } : {}),
  });
  const { outcomes, notStarted } = await runBatch(
    items,
    dry
      ? async (id, input) => ({
          planned: await dryRunReport(client, await client.prepare(id, input, io.readBytes), io.readBytes),
        })
      : (id, input) => client.call(id, input, io.readBytes),
    async (r) => errorSummary(r.response, r.error),
    { concurrency: args.int("concurrency") ?? 8, stopped: () => stop },
    ({ failure: _f, ...shown }) => writer.item(shown),
  );
  await writer.end();
  return summarise(outcomes, notStarted, stop, io);
}
