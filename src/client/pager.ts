import type { LiteHeaders } from "../http/lite.js";
import { UsageError } from "../platform/errors.js";
import type { OperationModel, ParamModel } from "../spec/model.js";
import type { BoundArgs } from "./bind-args.js";
import { hintedCursor, reportedTotal } from "./paging-hint.js";

// --all: follows pages until the end. The strategy comes from the operation's parameters
// (startIndex/limit, limit/offset, page/per-page, cursor tokens),
// else from Link rel=next headers (or a next-page link in the body), or from --paginate. Where a
// page's total and cursor live is the document's to say (`x-opcli-paging`).

import { STRATEGIES, type Strategy } from "./strategies.js";

export { STRATEGIES, type Strategy };

export interface PageRequest {
  args: BoundArgs;
  /** An absolute next-page URL (link strategy). */
  url?: string;
}

export interface PageResult {
  body: unknown;
  headers: LiteHeaders;
  origin: string;
}

/** A query parameter by any of these names, case and a leading underscore aside (_pageSize). */
const find = (op: OperationModel, names: string[]) =>
  op.params.find((p) => p.in === "query" && names.includes(p.name.toLowerCase().replace(/^_+/, "")));

const CURSOR_PARAMS = [
  "cursor",
  "page_token",
  "pagetoken",
  "next_token",
  "nexttoken",
  "after",
  "starting_after",
  "marker",
  "continuation",
];
const CURSOR_FIELDS = [
  "next_cursor",
  "nextCursor",
  "next_page_token",
  "nextPageToken",
  "next_token",
  "nextToken",
  "cursor",
  "continuation",
];
const SIZE_PARAMS = [
  "limit",
  "per_page",
  "perpage",
  "page_size",
  "pagesize",
  "size",
  "max",
  "maxresults",
  "count",
];

interface Params {
  start?: ParamModel;
  size?: ParamModel;
  offset?: ParamModel;
  page?: ParamModel;
  cursor?: ParamModel;
}

function paramsOf(op: OperationModel): Params {
  const out: Params = {};
  const start = find(op, ["startindex", "start_index", "start"]);
  const size = find(op, SIZE_PARAMS);
  const offset = find(op, ["offset", "first", "skip"]);
  const page = find(op, ["page", "pagenumber", "page_number"]);
  const hinted = op.paging?.cursorParam;
  const cursor =
    (hinted ? op.params.find((x) => x.in === "query" && x.name === hinted) : undefined) ??
    find(op, CURSOR_PARAMS);
  if (start) out.start = start;
  if (size) out.size = size;
  if (offset) out.offset = offset;
  if (page) out.page = page;
  if (cursor) out.cursor = cursor;
  return out;
}

export function detectStrategy(op: OperationModel): Strategy {
  const p = paramsOf(op);
  if (p.start && p.size) return "start-index";
  if (p.offset && p.size) return "offset";
  if (p.cursor) return "cursor";
  if (p.page) return "page";
  return "link";
}

function nextLink(headers: LiteHeaders): string | undefined {
  const link = headers.get("link");
  if (!link) return undefined;
  for (const part of link.split(",")) {
    const m = /<([^>]+)>\s*;(.*)/.exec(part.trim());
    if (m && /\brel="?next"?/i.test(m[2]!)) return m[1];
  }
  return undefined;
}

function bodyField(body: unknown, names: string[]): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as Record<string, unknown>;
  for (const scope of [b, b.meta, b.pagination, b.links, b.response_metadata]) {
    if (typeof scope !== "object" || scope === null) continue;
    for (const n of names) {
      const v = (scope as Record<string, unknown>)[n];
      if (typeof v === "string" && v !== "") return v;
    }
  }
  return undefined;
}

export interface Pager {
  strategy: Strategy;
  first(args: BoundArgs, resume?: Record<string, unknown>): PageRequest;
  next(req: PageRequest, page: PageResult, items: unknown[]): PageRequest | undefined;
  /** Where a later run would carry on from (for --max-items' resume token). */
  state(req: PageRequest | undefined): Record<string, unknown>;
}

const withQuery = (args: BoundArgs, extra: Record<string, string | number>): BoundArgs => ({
  ...args,
  query: { ...args.query, ...extra },
});

export function makePager(op: OperationModel, strategy: Strategy, pageSize: number): Pager {
  const p = paramsOf(op);
  const need = (param: ParamModel | undefined, what: string): ParamModel => {
    if (!param) throw new UsageError(`--paginate ${strategy}: ${op.id} has no ${what} parameter`);
    return param;
  };
  const size = p.size;
  const sized = (args: BoundArgs) =>
    size && args.query[size.name] === undefined ? withQuery(args, { [size.name]: pageSize }) : args;
  const counter = (param: ParamModel, base: (args: BoundArgs) => number, advance: (n: number) => number) => {
    return {
      strategy,
      first: (args: BoundArgs, resume?: Record<string, unknown>) => {
        const a = sized(args);
        return {
          args:
            resume?.at !== undefined
              ? withQuery(a, { [param.name]: Number(resume.at) })
              : withQuery(a, { [param.name]: base(a) }),
        };
      },
      next: (req: PageRequest, page: PageResult, items: unknown[]) => {
        if (items.length === 0) return undefined;
        const at = Number(req.args.query[param.name]);
        const total = reportedTotal(op, page.body);
        const limit = size ? Number(req.args.query[size.name]) : undefined;
        const nextAt = at + advance(items.length);
        if (typeof total === "number" && strategy !== "page" && nextAt >= total) return undefined;
        if (typeof total !== "number" && limit !== undefined && items.length < limit) return undefined;
        return { args: withQuery(req.args, { [param.name]: nextAt }) };
      },
      state: (req: PageRequest | undefined) => (req ? { at: req.args.query[param.name] } : {}),
    };
  };
  switch (strategy) {
    case "start-index":
      return counter(
        need(p.start, "startIndex"),
        (a) => Number(a.query[p.start!.name] ?? 0),
        (n) => n,
      );
    case "offset":
      return counter(
        need(p.offset, "offset"),
        (a) => Number(a.query[p.offset!.name] ?? 0),
        (n) => n,
      );
    case "page":
      return counter(
        need(p.page, "page"),
        (a) => Number(a.query[p.page!.name] ?? 1),
        () => 1,
      );
    case "cursor": {
      const cursor = need(p.cursor, "cursor");
      return {
        strategy,
        first: (args, resume) => ({
          args:
            typeof resume?.cursor === "string"
              ? withQuery(sized(args), { [cursor.name]: resume.cursor })
              : sized(args),
        }),
        next: (req, page, items) => {
          const next =
            hintedCursor(op, page.body) ??
            bodyField(page.body, CURSOR_FIELDS) ??
            page.headers.get("x-next-cursor") ??
            undefined;
          return next && items.length > 0
            ? { args: withQuery(req.args, { [cursor.name]: next }) }
            : undefined;
        },
        state: (req) =>
          req?.args.query[cursor.name] !== undefined ? { cursor: req.args.query[cursor.name] } : {},
      };
    }
    default:
      return {
        strategy,
        first: (args, resume) => ({ args, ...(typeof resume?.url === "string" ? { url: resume.url } : {}) }),
        next: (req, page) => {
          const link =
            nextLink(page.headers) ??
            bodyField(page.body, ["next_page_uri", "nextPageUri", "next_page_url", "next"]);
          return link ? { args: req.args, url: new URL(link, page.origin).href } : undefined;
        },
        state: (req) => (req?.url ? { url: req.url } : {}),
      };
  }
}

/** The resume token printed by --max-items: where to carry on, for this operation. */
export function encodeResume(op: OperationModel, strategy: Strategy, state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ op: op.id, strategy, ...state })).toString("base64url");
}

export function decodeResume(
  token: string,
  op: OperationModel,
): { strategy: Strategy; state: Record<string, unknown> } {
  try {
    const {
      op: id,
      strategy,
      ...state
    } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Record<string, unknown>;
    if (id !== op.id || !STRATEGIES.includes(strategy as Strategy)) throw new Error("mismatch");
    return { strategy: strategy as Strategy, state };
  } catch {
    throw new UsageError(`--resume: not a resume token for ${op.id}`);
  }
}
