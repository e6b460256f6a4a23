import type { Operator } from "../../shared/field-value-pair.js";
import { type DateInterval, parseDateInterval } from "./dates.js";

export type SessionState = "unauthenticated" | "authenticated";

/** Attributes the server records on a session; searchable by name in fieldValuePair. */
export const SESSION_ATTRIBUTES = [
  "auth_user",
  "client_id",
  "acr",
  "acr_values",
  "remote_ip",
  "user_agent",
  "scope",
  "redirect_uri",
] as const;

export type FieldType = "string" | "date" | "boolean" | "state";

/** Searchable fields: API name to type; the store maps names to its columns. */
export const SESSION_FIELDS: Readonly<Record<string, FieldType>> = {
  sid: "string",
  jansId: "string",
  userDn: "string",
  state: "state",
  creationDate: "date",
  lastUsedAt: "date",
  authenticationTime: "date",
  expirationDate: "date",
  permissionGranted: "boolean",
  ...Object.fromEntries(SESSION_ATTRIBUTES.map((a) => [a, "string" as const])),
};

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

/** Turns one parsed pair into a typed filter, or a message naming what is wrong. */
export function toFilter(key: string, op: Operator, value: string): Filter | string {
  const type = SESSION_FIELDS[key];
  if (!type) return `unknown field "${key}" (known: ${Object.keys(SESSION_FIELDS).join(", ")})`;
  const field = key === "jansId" ? "sid" : key;
  switch (type) {
    case "date": {
      const interval = parseDateInterval(value);
      if (!interval)
        return `unparsable date "${value}" for "${key}" (use yyyy-MM-dd, yyyy-MM-dd HH:mm:ss or ISO 8601)`;
      return { field, type, op, interval };
    }
    case "boolean":
      if (value !== "true" && value !== "false") return `"${key}" takes true or false, not "${value}"`;
      if (op !== "=" && op !== "!=") return `operator "${op}" does not apply to "${key}" (use = or !=)`;
      return { field, type, op, value: value === "true" };
    case "state":
      if (value !== "authenticated" && value !== "unauthenticated") {
        return `"state" takes authenticated or unauthenticated, not "${value}"`;
      }
      return { field, type, op, value };
    default:
      return { field, type, op, value };
  }
}
