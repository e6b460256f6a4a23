import type { OperationCall } from "../http/send.js";
import { itemsOf } from "../output/items.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import type { Connection } from "./connection.js";
import { UsageError } from "./errors.js";
import { failOnError, sendWithAuth } from "./exchange.js";
import type { ParsedFlags } from "./flags.js";
import type { CliIO } from "./io.js";
import { type OutputPlan, writerFor } from "./output.js";
import {
  decodeResume,
  detectStrategy,
  encodeResume,
  makePager,
  type PageRequest,
  STRATEGIES,
  type Strategy,
} from "./paginate.js";
import type { Authenticator } from "./token.js";

export interface AllContext {
  model: ApiModel;
  op: OperationModel;
  call: OperationCall;
  flags: ParsedFlags;
  io: CliIO;
  conn: Connection;
  auth: Authenticator;
  plan: OutputPlan;
}

function positiveInt(flags: ParsedFlags, name: string): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(String(raw)) || Number(raw) < 1)
    throw new UsageError(`--${name} must be a positive integer, not "${raw}"`);
  return Number(raw);
}

/** The page size: --page-size, else the size parameter's maximum, else 100. */
function pageSize(ctx: AllContext): number {
  const given = positiveInt(ctx.flags, "page-size");
  if (given) return given;
  const size = ctx.op.params.find(
    (p) => p.in === "query" && /^(limit|per_?page|page_?size|size)$/i.test(p.name),
  );
  return size?.schema.maximum ?? 100;
}

/**
 * --all: requests page after page and streams every item through the writer, so memory stays
 * flat however many items; --max-items stops early and prints where to resume.
 */
export async function runAll(ctx: AllContext): Promise<void> {
  const { op, flags, io, conn, auth, plan } = ctx;
  const resume = flags.resume ? decodeResume(String(flags.resume), op) : undefined;
  const forced = flags.paginate as string | undefined;
  if (forced && !STRATEGIES.includes(forced as Strategy))
    throw new UsageError(`--paginate must be one of ${STRATEGIES.join(", ")}`);
  const strategy = (resume?.strategy ?? forced ?? detectStrategy(op)) as Strategy;
  const pager = makePager(op, strategy, pageSize(ctx));
  const max = positiveInt(flags, "max-items");
  const writer = await writerFor(plan, io);
  const progress = io.stderr.isTTY && !flags.debug;
  let issued = await auth.forOperation(op);
  let req: PageRequest | undefined = pager.first(ctx.call.args, resume?.state);
  let count = 0;
  let total: unknown;
  while (req) {
    const call: OperationCall = req.url
      ? { ...ctx.call, args: req.args, baseUrl: "" }
      : { ...ctx.call, args: req.args };
    const sent = await sendWithAuth(
      conn.fetch,
      auth,
      op,
      req.url ? { ...call, op: { ...op, path: req.url, params: [] } } : call,
      issued,
    );
    issued = sent.issued;
    const res = sent.exchange.response;
    await failOnError(res, io, Boolean(flags.debug));
    const body = JSON.parse((await res.text()) || "null") as unknown;
    const items = itemsOf(body) ?? [];
    total = (body as { totalEntriesCount?: unknown } | null)?.totalEntriesCount ?? total;
    let taken = 0;
    for (const item of items) {
      if (max !== undefined && count >= max) break;
      const v = plan.query ? plan.query(item) : item;
      if (v !== null && v !== undefined) writer.item(v);
      count++;
      taken++;
    }
    const next = pager.next(
      req,
      { body, headers: res.headers, origin: new URL(res.url || conn.baseUrl(op)).origin },
      items,
    );
    if (max !== undefined && count >= max) {
      // Where the next run starts: inside this page if it was cut short, else the next page.
      const at =
        taken < items.length
          ? partial(strategy, pager.state(req), taken)
          : next
            ? pager.state(next)
            : undefined;
      await writer.end();
      if (progress) io.stderr.write("\r\u001b[K");
      io.stderr.write(
        at
          ? `opcli: stopped after ${count} items; resume with --resume ${encodeResume(op, strategy, at)}\n`
          : `opcli: ${count} items\n`,
      );
      return;
    }
    // Wait for a slow reader before fetching more, so memory stays flat.
    await io.stdout.drained?.();
    if (progress)
      io.stderr.write(`\r\u001b[Kfetched ${count}${typeof total === "number" ? ` of ${total}` : ""} items`);
    req = next;
  }
  if (progress) io.stderr.write("\r\u001b[K");
  await writer.end();
}

/** A counter-based position moved forward by the items already taken from its page. */
function partial(
  strategy: Strategy,
  state: Record<string, unknown>,
  taken: number,
): Record<string, unknown> | undefined {
  if (strategy !== "start-index" && strategy !== "offset") return undefined;
  return typeof state.at === "number" || (typeof state.at === "string" && /^\d+$/.test(state.at))
    ? { at: Number(state.at) + taken }
    : undefined;
}
