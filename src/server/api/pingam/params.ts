import type { Context } from "hono";
import type { AmQueryInput } from "../../core/am/service.js";
import { intParam } from "../kit/paging.js";

// Reading a CREST request: the JSON body of an action, the `_` parameters of a query.

const QUERY_PARAMS = new Set([
  "_queryFilter",
  "_queryId",
  "_pageSize",
  "_pagedResultsCookie",
  "_pagedResultsOffset",
  "_totalPagedResultsPolicy",
  "_fields",
  "_sortKeys",
  "_prettyPrint",
]);
const POLICIES = ["NONE", "EXACT", "ESTIMATE"];

export interface QueryParams {
  input: AmQueryInput;
  fields: string[] | undefined;
  policy: string;
}

/** The query's parameters, each once; an unknown `_` parameter is refused, as CREST does. */
export function queryParams(c: Context): QueryParams | string {
  const url = new URL(c.req.url);
  const one: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    if (values.length > 1) return `parameter ${key} was given twice`;
    if (key.startsWith("_") && !QUERY_PARAMS.has(key)) return `Unrecognized request parameter '${key}'`;
    one[key] = values[0]!;
  }
  const queryId = one._queryId;
  if (queryId !== undefined && queryId !== "all") return `_queryId "${queryId}" is not supported (all)`;
  const filter = one._queryFilter ?? (queryId === "all" ? "true" : undefined);
  if (filter === undefined) return '_queryFilter is required (for example: username eq "<uuid>")';
  const pageSize = intParam("_pageSize", one._pageSize, { min: 1 });
  if (typeof pageSize === "string") return pageSize;
  const offset = intParam("_pagedResultsOffset", one._pagedResultsOffset, { min: 0 });
  if (typeof offset === "string") return offset;
  const policy = one._totalPagedResultsPolicy ?? "NONE";
  if (!POLICIES.includes(policy)) return `_totalPagedResultsPolicy must be one of ${POLICIES.join(", ")}`;
  return {
    input: {
      filter,
      countTotal: policy !== "NONE",
      ...(one._sortKeys !== undefined ? { sortKeys: one._sortKeys } : {}),
      ...(pageSize !== undefined ? { pageSize } : {}),
      ...(offset !== undefined ? { offset } : {}),
      ...(one._pagedResultsCookie ? { cookie: one._pagedResultsCookie } : {}),
    },
    fields: one._fields?.split(",").map((f) => f.trim().replace(/^\//, "")),
    policy,
  };
}
