import type { Operator } from "../../shared/field-value-pair.js";

// The vocabulary of session queries that every store backend understands.

export type SessionState = "unauthenticated" | "authenticated";

/** A date at the precision it was written in: [start, end) in epoch milliseconds. */
export interface DateInterval {
  start: number;
  end: number;
}

export const SORT_FIELDS = [
  "jansId",
  "sid",
  "userDn",
  "state",
  "creationDate",
  "lastUsedAt",
  "authenticationTime",
  "expirationDate",
  "auth_user",
  "client_id",
  "acr",
] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export type Filter =
  | { field: string; type: "string" | "state"; op: Operator; value: string }
  | { field: string; type: "boolean"; op: "=" | "!="; value: boolean }
  | { field: string; type: "date"; op: Operator; interval: DateInterval };

/** Fields a session expression compares (the PingAM face's vocabulary maps onto these). */
export const EXPR_FIELDS = ["userId", "realm", "lastUsedAt", "idleExpiresAt", "absoluteExpiresAt"] as const;
export type ExprField = (typeof EXPR_FIELDS)[number];
export const DATE_EXPR_FIELDS: ReadonlySet<ExprField> = new Set([
  "lastUsedAt",
  "idleExpiresAt",
  "absoluteExpiresAt",
]);

export type ExprOp = "eq" | "co" | "sw" | "gt" | "ge" | "lt" | "le";

/** A boolean expression over sessions; string fields take strings, date fields epoch ms. */
export type SessionExpr =
  | { kind: "and" | "or"; items: SessionExpr[] }
  | { kind: "not"; item: SessionExpr }
  | { kind: "const"; value: boolean }
  | { kind: "present"; field: ExprField }
  | { kind: "cmp"; field: ExprField; op: ExprOp; value: string | number };

/** Where the previous page ended: the sort field's value there and the sid that broke ties. */
export interface SessionCursor {
  value: string | number;
  sid: string;
}

/** A user's Janssen DN from their id (the inverse of userIdOfDn). */
export const dnOfUserId = (id: string) => `inum=${id},ou=people,o=jans`;

/** The user id inside a Janssen DN (`inum=<id>,ou=people,o=jans`), or null. */
export function userIdOfDn(dn: string | null): string | null {
  return dn === null ? null : (/^inum=([^,]+),/.exec(dn)?.[1] ?? null);
}
