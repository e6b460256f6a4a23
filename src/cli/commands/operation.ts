import { statusError } from "../../client/call.js";
import type { Client, PreparedCall } from "../../client/client.js";
import { REDACTED, redactBody } from "../../http/redact.js";
import { UsageError } from "../../platform/errors.js";
import { escapeControls } from "../../platform/terminal-text.js";
import type { OperationModel } from "../../spec/model.js";
import { curlCommand } from "../curl.js";
import type { CliIO } from "../io.js";
import { type OutputPlan, outputPlan, printResponse, writerFor } from "../output.js";
import type { ParsedArgs } from "../parse.js";
import { callInput } from "./context.js";
import { afterDestructive, beforeDestructive, dryRun } from "./destructive.js";

/** A non-2xx answer: its body on stderr (unless --debug showed it), then the typed error. */
async function failWith(
  result: Parameters<typeof statusError>[0],
  io: CliIO,
  debug: boolean,
  op?: OperationModel,
): Promise<never> {
  const err = await statusError(result);
  // A 404 often means a value of the wrong kind was given: name the parameters the document says how to find.
  const hinted = result.status === 404 ? (op?.params ?? []).filter((p) => p.in === "path" && p.hint) : [];
  if (hinted.length > 0) err.message += ` (${hinted.map((p) => `${p.name} is ${p.hint}`).join("; ")})`;
  // The body is shown when the one-line summary could not say what it says.
  if (err.body && !debug && /^HTTP \d+( [^:]*)?$/.test(err.message))
    io.stderr.write(`${escapeControls(redactBody(err.body.trimEnd()), true)}\n`);
  throw err;
}

async function printCurl(client: Client, prepared: PreparedCall, args: ParsedArgs, io: CliIO): Promise<void> {
  const placement = client.auth.placementOf(prepared.op);
  // The token itself is fetched only to be shown; otherwise the command obtains its own.
  const issued =
    placement && args.bool("show-token") ? await client.auth.forOperation(prepared.op) : undefined;
  const cred = placement ? { placement, ...(issued ? { token: issued.token } : {}) } : undefined;
  const text = curlCommand(prepared.call, args, cred);
  io.stdout.write(text);
  if (text.includes(REDACTED))
    io.stderr.write(
      "opcli: --curl: secrets of the request shown as [redacted] (--show-secrets prints them)\n",
    );
}

/** --all: streams every item of every page through the writer; --max-items prints a resume token. */
async function runAll(client: Client, prepared: PreparedCall, args: ParsedArgs, io: CliIO, plan: OutputPlan) {
  const writer = await writerFor(plan, io);
  const progress = io.stderr.isTTY && !args.bool("debug");
  const resume = args.str("resume");
  const strategy = args.str("paginate");
  const maxItems = args.int("max-items");
  const pageSize = args.int("page-size");
  const opts = {
    ...(resume ? { resume } : {}),
    ...(strategy ? { strategy } : {}),
    ...(maxItems ? { maxItems } : {}),
    ...(pageSize ? { pageSize } : {}),
  };
  try {
    for await (const page of client.pages(prepared, opts)) {
      for (const item of page.items) {
        const v = plan.query ? plan.query(item) : item;
        if (v !== null && v !== undefined) writer.item(v);
      }
      if (maxItems !== undefined && page.count >= maxItems) {
        await writer.end();
        if (progress) io.stderr.write("\r\u001b[K");
        io.stderr.write(
          page.resume
            ? `opcli: stopped after ${page.count} items; resume with --resume ${page.resume}\n`
            : `opcli: ${page.count} items\n`,
        );
        return;
      }
      // Wait for a slow reader before fetching more, so memory stays flat.
      await io.stdout.drained?.();
      if (progress)
        io.stderr.write(
          `\r\u001b[Kfetched ${page.count}${page.total !== undefined ? ` of ${page.total}` : ""} items`,
        );
    }
  } catch (err) {
    const body = (err as { body?: string }).body;
    if (body && !args.bool("debug")) io.stderr.write(`${escapeControls(redactBody(body.trimEnd()), true)}\n`);
    throw err;
  }
  if (progress) io.stderr.write("\r\u001b[K");
  await writer.end();
}

/** --operation-id ID: one call (or every page, or a curl command). */
export async function operationCommand(client: Client, args: ParsedArgs, io: CliIO): Promise<void> {
  const prepared = await client.prepare(args.str("operation-id")!, await callInput(args, io), io.readBytes);
  const plan = await outputPlan(args, client.model, prepared.op);
  if (args.bool("curl")) return printCurl(client, prepared, args, io);
  if (args.bool("dry-run")) return dryRun(client, prepared, io);
  if (args.bool("all")) return runAll(client, prepared, args, io, plan);
  if (args.has("max-items") || args.has("resume"))
    throw new UsageError("--max-items and --resume go with --all");
  const destructive = await beforeDestructive(client, prepared, args, io);
  const result = await client.send(prepared);
  if (!afterDestructive(prepared, result, destructive, args, io))
    await failWith(result, io, args.bool("debug"), prepared.op);
  if (result.ok) await printResponse(result.response, plan, io);
}
