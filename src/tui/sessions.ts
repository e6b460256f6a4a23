import type { OperationModel } from "../spec/model.js";

// The session search as a form (what the `/` filter line fills in) and its arguments: the pairs
// go to the parameter the document marks as taking field-value pairs (`x-opcli-filter`).

export const OPERATIONS = {
  search: "search-session",
  remove: "delete-session",
  revoke: "revoke-user-session",
} as const;

export interface SearchForm {
  pattern: string;
  user: string;
  client: string;
  ip: string;
  state: string;
  /** `>2026-12-01`, `<=2026-12-01T10:00`: an operator and a date. */
  created: string;
  expires: string;
  sortBy: string;
  sortOrder: string;
  pageSize: string;
}

export const EMPTY_FORM: SearchForm = {
  pattern: "",
  user: "",
  client: "",
  ip: "",
  state: "",
  created: "",
  expires: "",
  sortBy: "",
  sortOrder: "",
  pageSize: "20",
};

/** A range field: `>2026-12-01` (an operator, then a date); a bare date means `=`. */
function rangePair(field: string, raw: string): string | undefined {
  const v = raw.trim();
  if (v === "") return undefined;
  const m = /^(<=|>=|!=|<|>|=)?\s*(.+)$/.exec(v)!;
  return `${field}${m[1] ?? "="}${m[2]}`;
}

/** A value with a comma or quote is double-quoted, as the field-value pairs grammar allows. */
const quoted = (v: string) => (/[,"]/.test(v) ? `"${v.replace(/"/g, '\\"')}"` : v);

/** The search form as search-session's arguments (only those the operation declares). */
export function searchParams(form: SearchForm, op: OperationModel, start: number): Record<string, string> {
  const has = (name: string) => op.params.some((p) => p.name === name);
  const pairs = [
    form.user.trim() && `auth_user=${quoted(form.user.trim())}`,
    form.client.trim() && `client_id=${quoted(form.client.trim())}`,
    form.ip.trim() && `remote_ip=${quoted(form.ip.trim())}`,
    form.state.trim() && `state=${quoted(form.state.trim())}`,
    rangePair("creationDate", form.created),
    rangePair("expirationDate", form.expires),
  ].filter((x): x is string => Boolean(x));
  const out: Record<string, string> = {};
  const set = (name: string, v: string) => {
    if (v !== "" && has(name)) out[name] = v;
  };
  set("pattern", form.pattern.trim());
  const filter = op.params.find((p) => p.filter === "field-value-pairs");
  if (filter) set(filter.name, pairs.join(","));
  set("sortBy", form.sortBy.trim());
  set("sortOrder", form.sortOrder.trim());
  set("limit", String(pageSize(form)));
  set("startIndex", String(start));
  return out;
}

export function pageSize(form: SearchForm): number {
  const n = Number(form.pageSize);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 200) : 20;
}

/** A failure as the status line says it. */
export function describeError(err: unknown): string {
  const e = err as { name?: string; status?: number; message?: string };
  if (e.name === "HttpStatusError" && e.status === 404)
    return "not found: someone may have ended it meanwhile (r refreshes)";
  if (e.name === "HttpStatusError" && (e.status === 401 || e.status === 403))
    return `not allowed (HTTP ${e.status}): ${e.message ?? ""}`.trim();
  if (e.name === "AuthError") return `sign-in failed: ${e.message ?? ""}`;
  if (e.name === "NetworkError") return `network: ${e.message ?? ""}`;
  return e.message ?? String(err);
}
