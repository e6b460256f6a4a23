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
