import { createHash } from "node:crypto";
import { type CrestFilter, parseQueryFilter } from "../../../shared/crest-filter.js";
import {
  type ExprField,
  type ExprOp,
  type SessionCursor,
  type SessionExpr,
  userIdOfDn,
} from "../../store/query.js";
import type { SessionRecord } from "../../store/types.js";
import { fail, ok, type Result } from "../errors.js";
import { parseUniversalId } from "../realms.js";

// A CREST session query (`_queryFilter`, `_sortKeys`, `_pagedResultsCookie`) in the store's
// neutral vocabulary.

/** The fields a session query filters and sorts on, and what each is in the store. */
export const QUERY_FIELDS: Readonly<Record<string, { field: ExprField; date: boolean }>> = {
  username: { field: "userId", date: false },
  realm: { field: "realm", date: false },
  latestAccessTime: { field: "lastUsedAt", date: true },
  maxIdleExpirationTime: { field: "idleExpiresAt", date: true },
  maxSessionExpirationTime: { field: "absoluteExpiresAt", date: true },
};
const FILTERABLE = [...Object.keys(QUERY_FIELDS), "universalId"].join(", ");
/** Longer filters are refused before parsing (each term becomes SQL). */
export const MAX_FILTER_LENGTH = 4096;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const invalid = <T>(message: string): Result<T> => fail("invalid", message, { param: "_queryFilter" });

function dateValue(name: string, value: unknown): Result<number> {
  if (typeof value === "number" && Number.isSafeInteger(value)) return ok(value);
  if (typeof value === "string" && ISO_DATE.test(value)) {
    const t = Date.parse(value);
    if (Number.isFinite(t)) return ok(t);
  }
  return invalid(`${name} compares with an ISO 8601 date ("2024-01-15T07:42:42Z") or epoch milliseconds`);
}

function universalIdExpr(f: Extract<CrestFilter, { type: "compare" }>): Result<SessionExpr> {
  if (f.op !== "eq") return invalid("universalId can only be compared with eq");
  const parsed = typeof f.value === "string" ? parseUniversalId(f.value) : undefined;
  // Not a universal id at all: matches nothing, like any other unknown value.
  if (!parsed) return ok({ kind: "const", value: false });
  return ok({
    kind: "and",
    items: [
      { kind: "cmp", field: "userId", op: "eq", value: parsed.userId },
      { kind: "cmp", field: "realm", op: "eq", value: parsed.realm },
    ],
  });
}

function fieldName(path: string[]): string {
  return path.join("/");
}

function compareExpr(f: Extract<CrestFilter, { type: "compare" }>): Result<SessionExpr> {
  const name = fieldName(f.field);
  if (name === "universalId") return universalIdExpr(f);
  const known = Object.hasOwn(QUERY_FIELDS, name) ? QUERY_FIELDS[name] : undefined;
  if (!known) return invalid(`cannot filter on "${name}" (one of ${FILTERABLE})`);
  if (known.date) {
    if (f.op === "co" || f.op === "sw") return invalid(`${name} is a date: use eq, gt, ge, lt or le`);
    const v = dateValue(name, f.value);
    return v.ok ? ok({ kind: "cmp", field: known.field, op: f.op as ExprOp, value: v.value }) : v;
  }
  if (typeof f.value !== "string") return invalid(`${name} compares with a "quoted string"`);
  return ok({ kind: "cmp", field: known.field, op: f.op, value: f.value });
}

/** Translates a parsed filter; refuses unknown fields and mismatched values. */
export function filterToExpr(f: CrestFilter): Result<SessionExpr> {
  switch (f.type) {
    case "literal":
      return ok({ kind: "const", value: f.value });
    case "present": {
      const name = fieldName(f.field);
      if (name !== "universalId" && !Object.hasOwn(QUERY_FIELDS, name))
        return invalid(`cannot filter on "${name}" (one of ${FILTERABLE})`);
      // Every listed session has every field.
      return ok({ kind: "const", value: true });
    }
    case "not": {
      const inner = filterToExpr(f.filter);
      return inner.ok ? ok({ kind: "not", item: inner.value }) : inner;
    }
    case "and":
    case "or": {
      const items: SessionExpr[] = [];
      for (const sub of f.filters) {
        const r = filterToExpr(sub);
        if (!r.ok) return r;
        items.push(r.value);
      }
      return ok({ kind: f.type, items });
    }
    case "compare":
      return compareExpr(f);
  }
}

/** Parses and translates `_queryFilter`; a syntax error names its position. */
export function parseSessionFilter(raw: string): Result<SessionExpr> {
  if (raw.length > MAX_FILTER_LENGTH)
    return invalid(`_queryFilter is longer than ${MAX_FILTER_LENGTH} characters`);
  const parsed = parseQueryFilter(raw);
  if (!parsed.ok)
    return invalid(`_queryFilter: ${parsed.error.message} at position ${parsed.error.position}`);
  return filterToExpr(parsed.filter);
}

export interface SortKey {
  name: string;
  field: ExprField;
  descending: boolean;
}

/** The default order never moves under paging: the absolute expiry is fixed at creation. */
export const DEFAULT_SORT: SortKey = {
  name: "maxSessionExpirationTime",
  field: "absoluteExpiresAt",
  descending: false,
};

/** `_sortKeys`: one field, `-` for descending (CREST's syntax). */
export function parseSortKeys(raw: string | undefined): Result<SortKey> {
  if (raw === undefined || raw === "") return ok(DEFAULT_SORT);
  const keys = raw.split(",");
  if (keys.length > 1) return fail("invalid", "_sortKeys takes one field", { param: "_sortKeys" });
  const m = /^([+-]?)\/?(.+)$/.exec(keys[0]!.trim());
  const name = m?.[2] ?? "";
  const known = Object.hasOwn(QUERY_FIELDS, name) ? QUERY_FIELDS[name] : undefined;
  if (!known)
    return fail("invalid", `cannot sort by "${name}" (one of ${Object.keys(QUERY_FIELDS).join(", ")})`, {
      param: "_sortKeys",
    });
  return ok({ name, field: known.field, descending: m?.[1] === "-" });
}

/** Ties a cookie to the query it continues: the filter, realm and order. */
export function queryFingerprint(realm: string, filter: string, sort: SortKey): string {
  return createHash("sha256")
    .update(JSON.stringify([realm, filter, sort.name, sort.descending]))
    .digest("base64url")
    .slice(0, 16);
}

/** An opaque cookie: where the page ended, for this query only. */
export function encodeCookie(cursor: SessionCursor, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ v: cursor.value, s: cursor.sid, q: fingerprint })).toString(
    "base64url",
  );
}

export function decodeCookie(raw: string, fingerprint: string): Result<SessionCursor> {
  const bad = (why: string) =>
    fail<SessionCursor>("invalid", `_pagedResultsCookie ${why}`, { param: "_pagedResultsCookie" });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    return bad("is not one this server issued");
  }
  const c = parsed as { v?: unknown; s?: unknown; q?: unknown } | null;
  if (!c || (typeof c.v !== "string" && typeof c.v !== "number") || typeof c.s !== "string")
    return bad("is not one this server issued");
  if (c.q !== fingerprint) return bad("belongs to another query (filter, realm or sort keys differ)");
  return ok({ value: c.v, sid: c.s });
}

/** The cursor that continues after this session in an order by one expression field. */
export function cursorAfter(s: SessionRecord, sortBy: ExprField): SessionCursor {
  const value: Record<ExprField, string | number> = {
    userId: userIdOfDn(s.userDn) ?? "",
    realm: s.realm,
    lastUsedAt: s.lastUsedAt,
    idleExpiresAt: s.lastUsedAt,
    absoluteExpiresAt: s.absoluteExpiresAt,
  };
  return { value: value[sortBy], sid: s.sid };
}
