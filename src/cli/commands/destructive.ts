import { type Affected, affectedRead, countInAnswer, isDestructive } from "../../client/affected.js";
import type { CallResult } from "../../client/call.js";
import type { Client, PreparedCall } from "../../client/client.js";
import { operationUrl } from "../../http/send.js";
import { UsageError } from "../../platform/errors.js";
import { safeJson } from "../../platform/terminal-text.js";
import { type CliIO, canPrompt, noInputWanted } from "../io.js";
import type { ParsedArgs } from "../parse.js";

// What deletes and revokes owe a person and a script: --dry-run, a question before a user-wide or
// bulk change on a terminal (never in a script), a one-line result, and --ignore-not-found.

/** `sid=1f74...`: the call's path arguments, as a person names the thing. */
function target(prepared: PreparedCall): string {
  const args = Object.entries(prepared.call.args.path).map(([k, v]) => `${k}=${String(v)}`);
  return [prepared.op.id, ...args].join(" ");
}

/** User-wide or bulk: the read of what it affects is a search, or (no read) its ID says so. */
function isBulk(client: Client, prepared: PreparedCall): boolean {
  const read = affectedRead(client.model, prepared.op, prepared.call.args);
  return read ? !read.single : /(^|-)(user|users|all|bulk|by)(-|$)/.test(prepared.op.id);
}

/** The dry run's report: the request that would go, and what it would affect (read, never changed). */
export async function dryRunReport(
  client: Client,
  prepared: PreparedCall,
  readBytes: CliIO["readBytes"],
): Promise<Record<string, unknown>> {
  const { call } = prepared;
  const body = call.body?.payload;
  const affected = isDestructive(prepared.op) ? await client.affected(prepared, readBytes) : undefined;
  return {
    dryRun: true,
    request: {
      method: prepared.op.method,
      url: operationUrl(call),
      ...(typeof body === "string" ? { body } : body ? { bodyBytes: body.length } : {}),
    },
    ...(affected ? { wouldAffect: affected.count, items: affected.items } : {}),
  };
}

/** --dry-run: the report on stdout; nothing that changes state is sent. */
export async function dryRun(client: Client, prepared: PreparedCall, io: CliIO): Promise<void> {
  const out = await dryRunReport(client, prepared, io.readBytes);
  io.stdout.write(`${safeJson(JSON.stringify(out, null, io.stdout.isTTY ? 2 : 0))}\n`);
}

export interface DestructivePlan {
  affected?: Affected;
}

/** Before sending: counts what a bulk change affects and, on a terminal, asks (unless --yes). */
export async function beforeDestructive(
  client: Client,
  prepared: PreparedCall,
  args: ParsedArgs,
  io: CliIO,
): Promise<DestructivePlan> {
  if (!isDestructive(prepared.op) || !isBulk(client, prepared)) return {};
  const affected = await client.affected(prepared, io.readBytes);
  if (args.bool("yes") || !canPrompt(io, noInputWanted(args.bool("no-input"), io.env)) || !io.prompt)
    return affected ? { affected } : {};
  const what = affected ? `${affected.count} affected` : "every match";
  const answer = await io.prompt(`opcli: ${target(prepared)}: ${what}. Go ahead? [y/N] `);
  if (!/^y(es)?$/i.test(answer.trim()))
    throw new UsageError("not confirmed; nothing was sent (--yes skips the question)");
  return affected ? { affected } : {};
}

/** After: one line on stderr; a 404 with --ignore-not-found is success. Returns false when the caller should fail. */
export function afterDestructive(
  prepared: PreparedCall,
  result: CallResult,
  plan: DestructivePlan,
  args: ParsedArgs,
  io: CliIO,
): boolean {
  if (!isDestructive(prepared.op)) return result.ok;
  if (!result.ok) {
    if (result.status !== 404 || !args.bool("ignore-not-found")) return false;
    io.stderr.write(`opcli: ${target(prepared)}: not found; nothing to do\n`);
    return true;
  }
  const n = countInAnswer(result.data) ?? plan.affected?.count;
  io.stderr.write(`opcli: ${target(prepared)}: done${n !== undefined ? `, ${n} affected` : ""}\n`);
  return true;
}
