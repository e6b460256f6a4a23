import type { ExprField, Filter, SessionExpr, SortField } from "./query.js";
import { userIdOfDn } from "./query.js";
import { searchText } from "./rows.js";
import type { SessionQuery, SessionRecord } from "./types.js";

// The session search of session-sql.ts evaluated over records in memory, for a backend without
// SQL (Redis): the same fields, the same NULL rules (a missing value never matches, `!=` matches
// it, NOT of unknown is true), the same sort with sid breaking ties, the same keyset paging.

type Value = string | number | boolean | null;

const COLUMN: Readonly<Record<string, (s: SessionRecord) => Value>> = {
  sid: (s) => s.sid,
  jansId: (s) => s.sid,
  userDn: (s) => s.userDn,
  state: (s) => s.state,
  creationDate: (s) => s.createdAt,
  lastUsedAt: (s) => s.lastUsedAt,
  authenticationTime: (s) => s.authTime,
  expirationDate: (s) => s.expiresAt,
  permissionGranted: (s) => s.permissionGranted,
  userId: (s) => userIdOfDn(s.userDn),
  realm: (s) => s.realm,
  idleExpiresAt: (s) => s.lastUsedAt,
  absoluteExpiresAt: (s) => s.absoluteExpiresAt,
};

/** A field's value: a column, else an attribute (null when absent). */
export function fieldValue(s: SessionRecord, field: string): Value {
  const col = Object.hasOwn(COLUMN, field) ? COLUMN[field] : undefined;
  return col ? col(s) : (s.attributes[field] ?? null);
}

function compare(a: string | number | boolean, b: string | number | boolean): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function filterMatches(s: SessionRecord, f: Filter): boolean {
  const v = fieldValue(s, f.field);
  if (f.type === "date") {
    if (typeof v !== "number") return false;
    const { start, end } = f.interval;
    const ops = {
      "=": v >= start && v < end,
      "!=": v < start || v >= end,
      "<": v < start,
      "<=": v < end,
      ">": v >= end,
      ">=": v >= start,
    };
    return ops[f.op];
  }
  if (f.type === "boolean") return v !== null && (f.op === "=" ? v === f.value : v !== f.value);
  if (f.op === "!=") return v === null || String(v) !== f.value;
  if (v === null) return false;
  const c = compare(String(v), f.value);
  return { "=": c === 0, "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0 }[f.op];
}

function exprValue(s: SessionRecord, field: ExprField, q: SessionQuery): Value {
  if (field === "idleExpiresAt") return s.lastUsedAt + (q.idleMs ?? 0);
  return fieldValue(s, field);
}

/** SQL's three-valued logic: null is unknown. */
export function exprMatches(s: SessionRecord, e: SessionExpr, q: SessionQuery): boolean | null {
  switch (e.kind) {
    case "const":
      return e.value;
    case "and":
    case "or": {
      const vs = e.items.map((i) => exprMatches(s, i, q));
      const decisive = e.kind === "or";
      if (vs.includes(decisive)) return decisive;
      return vs.includes(null) ? null : !decisive;
    }
    case "not":
      return !(exprMatches(s, e.item, q) ?? false);
    case "present":
      return exprValue(s, e.field, q) !== null;
    case "cmp": {
      const v = exprValue(s, e.field, q);
      if (v === null) return null;
      if (e.op === "co") return String(v).includes(String(e.value));
      if (e.op === "sw") return String(v).startsWith(String(e.value));
      const c = compare(typeof v === "boolean" ? String(v) : v, e.value);
      return { eq: c === 0, gt: c > 0, ge: c >= 0, lt: c < 0, le: c <= 0 }[e.op];
    }
  }
}

/** Whether a session is a match of q (the keyset aside): live, every filter, the expression, the pattern. */
export function sessionMatches(s: SessionRecord, q: SessionQuery): boolean {
  if (!(s.expiresAt > q.now)) return false;
  if (!q.filters.every((f) => filterMatches(s, f))) return false;
  if (q.expr && exprMatches(s, q.expr, q) !== true) return false;
  return q.pattern === "" || searchText(s.userDn, s.sid, s.attributes).includes(q.pattern.toLowerCase());
}

const sortKey = (q: SessionQuery): SortField | ExprField =>
  Object.hasOwn(COLUMN, q.sortBy) || ["auth_user", "client_id", "acr"].includes(q.sortBy)
    ? q.sortBy
    : "creationDate";

/** Orders as PostgreSQL does: by the sort field (NULLs last ascending, first descending), then sid. */
export function sessionOrder(q: SessionQuery): (a: SessionRecord, b: SessionRecord) => number {
  const key = sortKey(q);
  const dir = q.descending ? -1 : 1;
  return (a, b) => {
    const va = fieldValue(a, key);
    const vb = fieldValue(b, key);
    let c = 0;
    if (va === null || vb === null) c = va === vb ? 0 : va === null ? 1 : -1;
    else c = compare(va, vb);
    return (c === 0 ? compare(a.sid, b.sid) : c) * dir;
  };
}

/** After the keyset cursor in q's order (a NULL sort value never is, as in SQL). */
export function afterCursor(s: SessionRecord, q: SessionQuery): boolean {
  if (!q.after) return true;
  const key = sortKey(q);
  const sidCmp = compare(s.sid, q.after.sid) * (q.descending ? -1 : 1);
  if (key === "sid" || key === "jansId") return sidCmp > 0;
  const v = fieldValue(s, key);
  if (v === null) return false;
  const c = compare(v, q.after.value) * (q.descending ? -1 : 1);
  return c > 0 || (c === 0 && sidCmp > 0);
}

/** A page of q over candidate sessions (a superset of the matches): exact total, sorted, paged. */
export function pageOf(
  candidates: SessionRecord[],
  q: SessionQuery,
): { total: number; entries: SessionRecord[] } {
  const matches = candidates.filter((s) => sessionMatches(s, q));
  const total = q.countTotal === false ? -1 : matches.length;
  const ordered = matches.filter((s) => afterCursor(s, q)).sort(sessionOrder(q));
  return { total, entries: ordered.slice(q.offset, q.offset + q.limit) };
}
