import type { ExprField, Filter, SessionExpr, SortField } from "./query.js";
import type { SessionQuery } from "./types.js";

// Builds parameterised WHERE/ORDER BY clauses for session searches, for any SQL backend through
// its dialect; no value is ever spliced into SQL text, only column names from the fixed tables
// below. Placeholders are `?`; a backend that numbers them renumbers the text.

/** What differs between SQL backends in a session search. */
export interface SqlDialect {
  /** An attribute without a column of its own (stored in the attrs JSON). */
  attribute(field: string, params: unknown[]): string;
  /** A boolean parameter as the backend stores booleans. */
  bool(value: boolean): unknown;
  /** col contains the parameter (case-sensitive). */
  contains(col: string, params: unknown[], value: unknown): string;
  /** col starts with the parameter. */
  startsWith(col: string, params: unknown[], value: unknown): string;
  /** The session's user, sid or an attribute contains the pattern, ignoring case. */
  pattern(pattern: string, params: unknown[]): string;
  /** A false boolean literal (what coalesce turns a NULL condition into). */
  falseLiteral: string;
}

const COLUMNS: Readonly<Record<string, string>> = {
  sid: "sid",
  userDn: "user_dn",
  state: "state",
  creationDate: "created_at",
  lastUsedAt: "last_used_at",
  authenticationTime: "auth_time",
  expirationDate: "expires_at",
  permissionGranted: "permission_granted",
  auth_user: "auth_user",
  client_id: "client_id",
  acr: "acr",
  remote_ip: "remote_ip",
  user_agent: "user_agent",
};

const SORT_COLUMNS: Readonly<Record<SortField | ExprField, string>> = {
  userId: "user_id",
  realm: "realm",
  // Sorting by last use plus a constant is sorting by last use.
  idleExpiresAt: "last_used_at",
  absoluteExpiresAt: "absolute_expires_at",
  jansId: "sid",
  sid: "sid",
  userDn: "user_dn",
  state: "state",
  creationDate: "created_at",
  lastUsedAt: "last_used_at",
  authenticationTime: "auth_time",
  expirationDate: "expires_at",
  auth_user: "auth_user",
  client_id: "client_id",
  acr: "acr",
};

const SIMPLE_OPS: Readonly<Record<string, string>> = {
  "=": "=",
  "!=": "<>",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};

/** The column expression for a field; attributes without a column of their own live in attrs JSON. */
function columnFor(field: string, params: unknown[], d: SqlDialect): string {
  const col = Object.hasOwn(COLUMNS, field) ? COLUMNS[field] : undefined;
  return col ?? d.attribute(field, params);
}

/** A placeholder for value, bound where it is emitted: text and parameters stay in step. */
function bind(params: unknown[], value: unknown): string {
  params.push(value);
  return "?";
}

/** Emits the field's expression anew each time: an attribute's JSON path binds its own parameter. */
type Column = () => string;

function dateClause(col: Column, f: Extract<Filter, { type: "date" }>, params: unknown[]): string {
  const { start, end } = f.interval;
  switch (f.op) {
    case "=":
      return `(${col()} >= ${bind(params, start)} AND ${col()} < ${bind(params, end)})`;
    case "!=":
      return `(${col()} < ${bind(params, start)} OR ${col()} >= ${bind(params, end)})`;
    case "<":
      return `${col()} < ${bind(params, start)}`;
    case "<=":
      return `${col()} < ${bind(params, end)}`;
    case ">":
      return `${col()} >= ${bind(params, end)}`;
    case ">=":
      return `${col()} >= ${bind(params, start)}`;
  }
}

function filterClause(f: Filter, params: unknown[], d: SqlDialect): string {
  const col: Column = () => columnFor(f.field, params, d);
  if (f.type === "date") return dateClause(col, f, params);
  if (f.type === "boolean") return `${col()} ${SIMPLE_OPS[f.op]} ${bind(params, d.bool(f.value))}`;
  // != also matches sessions that lack the attribute, as a person reading "not admin" expects.
  if (f.op === "!=") return `(${col()} IS NULL OR ${col()} <> ${bind(params, f.value)})`;
  return `${col()} ${SIMPLE_OPS[f.op]} ${bind(params, f.value)}`;
}

export interface BuiltQuery {
  where: string;
  params: unknown[];
  orderBy: string;
  /** The columns orderBy names (the sort column and sid). */
  sortColumns: string;
  /** The keyset condition for `after`, kept apart so the total is counted without it. */
  keyset?: { clause: string; params: unknown[] };
}

const EXPR_COLUMNS: Readonly<Record<Exclude<ExprField, "idleExpiresAt">, string>> = {
  userId: "user_id",
  realm: "realm",
  lastUsedAt: "last_used_at",
  absoluteExpiresAt: "absolute_expires_at",
};

const EXPR_OPS = { eq: "=", gt: ">", ge: ">=", lt: "<", le: "<=" } as const;

function exprColumn(field: ExprField, q: SessionQuery, params: unknown[]): string {
  if (field !== "idleExpiresAt") return EXPR_COLUMNS[field];
  params.push(q.idleMs ?? 0);
  return "(last_used_at + ?)";
}

/** Compiles an expression to SQL; a missing value never matches, and its negation does. */
export function exprClause(e: SessionExpr, q: SessionQuery, params: unknown[], d: SqlDialect): string {
  switch (e.kind) {
    case "const":
      return e.value ? "1 = 1" : "1 = 0";
    case "and":
    case "or":
      return `(${e.items.map((i) => exprClause(i, q, params, d)).join(e.kind === "and" ? " AND " : " OR ")})`;
    case "not":
      return `NOT coalesce(${exprClause(e.item, q, params, d)}, ${d.falseLiteral})`;
    case "present":
      return `${exprColumn(e.field, q, params)} IS NOT NULL`;
    case "cmp": {
      const col = exprColumn(e.field, q, params);
      if (e.op === "co") return d.contains(col, params, e.value);
      if (e.op === "sw") return d.startsWith(col, params, e.value);
      params.push(e.value);
      return `${col} ${EXPR_OPS[e.op]} ?`;
    }
  }
}

/**
 * The liveness bound (expires_at > now) folded with any lower bounds on expirationDate, so the
 * index range starts at the tighter one: SQLite uses only one lower bound per index range.
 */
function liveLowerBound(q: SessionQuery): number {
  let bound = q.now;
  for (const f of q.filters) {
    if (f.type !== "date" || f.field !== "expirationDate") continue;
    // Integer milliseconds: x >= s is x > s - 1.
    if (f.op === ">=" || f.op === "=") bound = Math.max(bound, f.interval.start - 1);
    if (f.op === ">") bound = Math.max(bound, f.interval.end - 1);
  }
  return bound;
}

export function buildSessionQuery(q: SessionQuery, d: SqlDialect): BuiltQuery {
  const params: unknown[] = [liveLowerBound(q)];
  const clauses = ["expires_at > ?"];
  for (const f of q.filters) clauses.push(filterClause(f, params, d));
  if (q.expr) clauses.push(exprClause(q.expr, q, params, d));
  if (q.pattern !== "") clauses.push(d.pattern(q.pattern, params));
  const dir = q.descending ? "DESC" : "ASC";
  const sortCol = Object.hasOwn(SORT_COLUMNS, q.sortBy) ? SORT_COLUMNS[q.sortBy] : "created_at";
  const orderBy = sortCol === "sid" ? `sid ${dir}` : `${sortCol} ${dir}, sid ${dir}`;
  const sortColumns = sortCol === "sid" ? "sid" : `${sortCol}, sid`;
  const built: BuiltQuery = { where: clauses.join(" AND "), params, orderBy, sortColumns };
  if (q.after) {
    const cmp = q.descending ? "<" : ">";
    const { value, sid } = q.after;
    built.keyset =
      sortCol === "sid"
        ? { clause: `sid ${cmp} ?`, params: [sid] }
        : {
            clause: `(${sortCol} ${cmp} ? OR (${sortCol} = ? AND sid ${cmp} ?))`,
            params: [value, value, sid],
          };
  }
  return built;
}
