import { parseFieldValuePairs } from "../../shared/field-value-pair.js";
import { fail, ok, type Result } from "./errors.js";
import { type Filter, SORT_FIELDS, type SortField, toFilter } from "./session-fields.js";

/** A search as an API face receives it: raw strings, all optional. */
export interface RawSessionSearch {
  limit?: string | undefined;
  startIndex?: string | undefined;
  sortBy?: string | undefined;
  sortOrder?: string | undefined;
  fieldValuePair?: string | undefined;
  pattern?: string | undefined;
}

export interface SessionSearch {
  filters: Filter[];
  pattern: string;
  sortBy: SortField;
  descending: boolean;
  offset: number;
  limit: number;
}

export const DEFAULT_PAGE_SIZE = 50;

/** An integer query parameter of at least `min` (`fallback` when absent), or an error naming it. */
export function intParam(
  raw: string | undefined,
  name: string,
  fallback: number,
  min: number,
): Result<number> {
  if (raw === undefined || raw === "") return ok(fallback);
  if (!/^-?\d{1,15}$/.test(raw))
    return fail("invalid", `${name} must be an integer, not "${raw}"`, { param: name });
  const value = Number(raw);
  if (value < min) return fail("invalid", `${name} must be at least ${min}`, { param: name });
  return ok(value);
}

function parseFilters(raw: string): Result<Filter[]> {
  const parsed = parseFieldValuePairs(raw);
  if (!parsed.ok) {
    const { message, offset } = parsed.error;
    return fail("invalid", `fieldValuePair: ${message} (at offset ${offset})`, { param: "fieldValuePair" });
  }
  const filters: Filter[] = [];
  for (const p of parsed.pairs) {
    const f = toFilter(p.key, p.op, p.value);
    if (typeof f === "string") return fail("invalid", `fieldValuePair: ${f}`, { param: "fieldValuePair" });
    filters.push(f);
  }
  return ok(filters);
}

/** Checks and types a search; every rule of the search-session operation lives here. */
export function parseSessionSearch(q: RawSessionSearch, maxLimit: number): Result<SessionSearch> {
  const limit = intParam(q.limit, "limit", DEFAULT_PAGE_SIZE, 1);
  if (!limit.ok) return limit;
  if (limit.value > maxLimit)
    return fail("invalid", `limit ${limit.value} is above the maximum of ${maxLimit}`, { param: "limit" });
  const start = intParam(q.startIndex, "startIndex", 0, 0);
  if (!start.ok) return start;
  const sortBy = q.sortBy || "creationDate";
  if (!(SORT_FIELDS as readonly string[]).includes(sortBy))
    return fail("invalid", `sortBy "${sortBy}" is not one of ${SORT_FIELDS.join(", ")}`, { param: "sortBy" });
  const sortOrder = q.sortOrder || "ascending";
  if (sortOrder !== "ascending" && sortOrder !== "descending")
    return fail("invalid", `sortOrder must be ascending or descending, not "${sortOrder}"`, {
      param: "sortOrder",
    });
  const filters = parseFilters(q.fieldValuePair ?? "");
  if (!filters.ok) return filters;
  return ok({
    filters: filters.value,
    pattern: q.pattern ?? "",
    sortBy: sortBy as SortField,
    descending: sortOrder === "descending",
    offset: start.value,
    limit: limit.value,
  });
}
