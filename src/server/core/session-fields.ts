import type { Operator } from "../../shared/field-value-pair.js";
import { type Filter, type SessionState, SORT_FIELDS, type SortField } from "../store/query.js";
import { parseDateInterval } from "./dates.js";

export { type Filter, type SessionState, SORT_FIELDS, type SortField };

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

/** Turns one parsed pair into a typed filter, or a message naming what is wrong. */
export function toFilter(key: string, op: Operator, value: string): Filter | string {
  // Own keys only: "constructor" or "__proto__" must never find something on the prototype.
  const type = Object.hasOwn(SESSION_FIELDS, key) ? SESSION_FIELDS[key] : undefined;
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
