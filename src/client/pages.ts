import type { IssuedToken } from "../auth/authenticator.js";
import type { LiteHeaders } from "../http/lite.js";
import type { OperationCall } from "../http/send.js";
import { IncompleteError, UsageError } from "../platform/errors.js";
import type { OperationModel } from "../spec/model.js";
import { sendWithAuth, statusError, toResult } from "./call.js";
import {
  decodeResume,
  detectStrategy,
  encodeResume,
  makePager,
  type PageRequest,
  STRATEGIES,
  type Strategy,
} from "./pager.js";
import { pageItems, reportedTotal } from "./paging-hint.js";

export interface PageOptions {
  /** Force a strategy instead of detecting it from the operation. */
  strategy?: string;
  /** Items per page; else the size parameter's maximum, else 100. */
  pageSize?: number;
  /** Stop after this many items, and say where to resume. */
  maxItems?: number;
  /** A token a run cut short by maxItems printed. */
  resume?: string;
}

export interface Page {
  /** This page's items (cut short on the last page when maxItems is reached). */
  items: unknown[];
  body: unknown;
  headers: LiteHeaders;
  /** Items so far, this page's included. */
  count: number;
  /** The total the server reports, when it does. */
  total?: number;
  /** Set on the last page when maxItems stopped the run early and more remain. */
  resume?: string;
}

/** What paging needs of a client: the prepared first call, and how to send with credentials. */
export interface PagingContext {
  op: OperationModel;
  call: OperationCall;
  fetch: Parameters<typeof sendWithAuth>[0];
  credential: Parameters<typeof sendWithAuth>[1];
  baseUrl: string;
  /** Operations of the same API that can page, named when this one cannot. */
  pagingAlternatives?: string[];
}

/** --all must never return a silent subset: fewer items than the server reports is an error. */
function checkComplete(ctx: PagingContext, count: number, total: number | undefined, max?: number): void {
  if (max !== undefined || total === undefined || count >= total) return;
  const alt = ctx.pagingAlternatives?.length
    ? `; ${ctx.pagingAlternatives.join(", ")} ${ctx.pagingAlternatives.length === 1 ? "pages" : "page"} (--all)`
    : "";
  throw new IncompleteError(`${ctx.op.id} returned ${count} of ${total} items and cannot page${alt}`);
}

function pageSizeFor(op: OperationModel, given: number | undefined): number {
  if (given) return given;
  const size = op.params.find((p) => p.in === "query" && /^(limit|per_?page|page_?size|size)$/i.test(p.name));
  return size?.schema.maximum ?? 100;
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

/**
 * Every page of an operation, one at a time: the strategy comes from the operation (or is
 * forced), a page is requested only when the previous one has been consumed, so memory stays
 * flat however many items there are.
 */
export async function* pages(ctx: PagingContext, opts: PageOptions = {}): AsyncGenerator<Page> {
  const { op } = ctx;
  const resume = opts.resume ? decodeResume(opts.resume, op) : undefined;
  if (opts.strategy && !STRATEGIES.includes(opts.strategy as Strategy))
    throw new UsageError(`--paginate must be one of ${STRATEGIES.join(", ")}`);
  const strategy = (resume?.strategy ?? opts.strategy ?? detectStrategy(op)) as Strategy;
  const pager = makePager(op, strategy, pageSizeFor(op, opts.pageSize));
  const max = opts.maxItems;
  let issued: IssuedToken | undefined = await ctx.credential(op);
  let req: PageRequest | undefined = pager.first(ctx.call.args, resume?.state);
  let count = 0;
  let total: number | undefined;
  while (req) {
    const base: OperationCall = { ...ctx.call, args: req.args };
    const call = req.url ? { ...base, baseUrl: "", op: { ...op, path: req.url, params: [] } } : base;
    const sent = await sendWithAuth(ctx.fetch, ctx.credential, call, issued);
    issued = sent.issued;
    const result = await toResult(sent.exchange);
    if (!result.ok) throw await statusError(result);
    const body = result.data ?? null;
    const items = pageItems(op, body) ?? [];
    const reported = reportedTotal(op, body);
    if (typeof reported === "number") total = reported;
    const room = max === undefined ? items.length : Math.max(0, max - count);
    const taken = items.slice(0, room);
    count += taken.length;
    const origin = new URL(result.response.url || ctx.baseUrl).origin;
    const next = pager.next(req, { body, headers: result.response.headers, origin }, items);
    const page: Page = {
      items: taken,
      body,
      headers: result.response.headers,
      count,
      ...(total !== undefined ? { total } : {}),
    };
    if (max !== undefined && count >= max) {
      // Where the next run starts: inside this page if it was cut short, else the next page.
      const at =
        taken.length < items.length
          ? partial(strategy, pager.state(req), taken.length)
          : next
            ? pager.state(next)
            : undefined;
      if (at) page.resume = encodeResume(op, strategy, at);
      yield page;
      return;
    }
    yield page;
    req = next;
  }
  checkComplete(ctx, count, total, max);
}
