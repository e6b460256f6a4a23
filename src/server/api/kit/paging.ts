import type { CoreError } from "../../core/errors.js";
import type { FaceContext } from "./env.js";

// Paging and other integer query parameters: digits only, in range, or a message naming the parameter.

export interface Range {
  min: number;
  /** Without one the message says "of at least min". */
  max?: number;
}

/** The parameter's value, undefined when absent, or why it is refused. */
export function intParam(name: string, raw: string | undefined, range: Range): number | undefined | string {
  if (raw === undefined) return undefined;
  const { min, max } = range;
  if (/^\d{1,9}$/.test(raw) && Number(raw) >= min && (max === undefined || Number(raw) <= max))
    return Number(raw);
  return max === undefined
    ? `${name} must be an integer of at least ${min}`
    : `${name} must be an integer from ${min} to ${max}`;
}

export interface Paging {
  limit: number;
  offset: number;
}

/** limit (1 to max, 50 by default) and offset (0 by default), or an `invalid` core error naming the parameter. */
export function pagingOf(c: FaceContext, max: number): Paging | CoreError {
  const read = (name: string, fallback: number, range: Range): number | CoreError => {
    const v = intParam(name, c.req.query(name), range);
    if (typeof v === "string") return { kind: "invalid", message: v, param: name };
    return v ?? fallback;
  };
  const limit = read("limit", 50, { min: 1, max });
  if (typeof limit !== "number") return limit;
  const offset = read("offset", 0, { min: 0, max: 1_000_000_000 });
  if (typeof offset !== "number") return offset;
  return { limit, offset };
}

export const isPaging = (p: Paging | CoreError): p is Paging => !("kind" in p);
