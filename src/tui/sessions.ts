import { itemsOf } from "../output/items.js";
import { relativeTime } from "../output/table.js";
import type { OperationModel } from "../spec/model.js";

// The Sessions screen without a screen: the search form as operation arguments, sessions as
// rows, and which operations of the loaded document it needs.

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

export const FORM_FIELDS: readonly { key: keyof SearchForm; label: string }[] = [
  { key: "pattern", label: "Pattern" },
  { key: "user", label: "User" },
  { key: "client", label: "Client" },
  { key: "ip", label: "IP" },
  { key: "state", label: "State" },
  { key: "created", label: "Created (op date)" },
  { key: "expires", label: "Expires (op date)" },
  { key: "sortBy", label: "Sort by" },
  { key: "sortOrder", label: "Order (ascending|descending)" },
  { key: "pageSize", label: "Page size" },
];

/** A range field: `>2026-12-01` (an operator, then a date); a bare date means `=`. */
function rangePair(field: string, raw: string): string | undefined {
  const v = raw.trim();
  if (v === "") return undefined;
  const m = /^(<=|>=|!=|<|>|=)?\s*(.+)$/.exec(v)!;
  return `${field}${m[1] ?? "="}${m[2]}`;
}

/** A value with a comma or quote is double-quoted, as fieldValuePair's grammar allows. */
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
  set("fieldValuePair", pairs.join(","));
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

export interface SessionRow {
  sid: string;
  user: string;
  ip: string;
  client: string;
  state: string;
  created: string;
  expires: string;
  userDn: string;
  raw: Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));

/** One session of Janssen's shape as a row; times relative to now. */
export function toRow(s: Record<string, unknown>, now: number): SessionRow {
  const attrs = (s.sessionAttributes ?? {}) as Record<string, unknown>;
  const when = (v: unknown) => {
    const t = typeof v === "string" || typeof v === "number" ? new Date(v).getTime() : Number.NaN;
    return Number.isFinite(t) ? relativeTime(t, now) : "";
  };
  return {
    sid: str(s.sid ?? attrs.sid ?? s.id),
    user: str(attrs.auth_user),
    ip: str(attrs.remote_ip),
    client: str(attrs.client_id),
    state: str(s.state),
    created: when(s.creationDate),
    expires: when(s.expirationDate),
    userDn: str(s.userDn),
    raw: s,
  };
}

export interface PageOf {
  rows: SessionRow[];
  total: number;
  start: number;
}

/** A search answer (Janssen's PagedResult, or a bare list) as a page. */
export function pageFrom(data: unknown, start: number, now: number): PageOf {
  const d = (data ?? {}) as Record<string, unknown>;
  const entries = (itemsOf(data) ?? []) as Record<string, unknown>[];
  const total = typeof d.totalEntriesCount === "number" ? d.totalEntriesCount : entries.length;
  return { rows: entries.map((e) => toRow(e, now)), total, start };
}

/** Which of the screen's operations the document lacks. */
export function missingOperations(ops: readonly OperationModel[]): string[] {
  return Object.values(OPERATIONS).filter((id) => !ops.some((o) => o.id === id));
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
