import { pageItems, reportedTotal } from "../client/paging-hint.js";
import type { OperationModel } from "../spec/model.js";
import { at, earlier, exact, type Raw, relative, str } from "./fields.js";
import { parseFilter } from "./filter.js";
import { OPERATIONS, searchParams } from "./sessions.js";

// The screens the loaded document offers, as data: which operation lists them, their columns
// (with the Shift+letter that sorts each), what the describe view shows first, and the changing
// operations. Sessions come from a searching document (search-session, config-api style) or the
// admin document (list-sessions); users, alarms and audit from the admin document only.

export interface Item {
  id: string;
  raw: Raw;
}

export interface Column {
  header: string;
  /** Identifiers (ids, users, addresses, clients) are cut last, and only when nothing else fits. */
  identifier?: boolean;
  /** Upper-case letter: Shift+letter sorts by this column. */
  letter?: string;
  /** The list operation's own sort name for this column, when it sorts server-side. */
  serverSort?: string;
  value(raw: Raw, now: number): string;
  /** What sorting compares (times as numbers); the value when absent. */
  sortValue?(raw: Raw): string | number;
}

export interface Sort {
  column: number;
  descending: boolean;
}

export interface ListQuery {
  filter: string;
  sort: Sort | undefined;
  start: number;
  limit: number;
}

export interface Change {
  op: string;
  params(item: Item): Record<string, string>;
}

export interface Screen {
  name: string;
  /** One, many: "session", "sessions". */
  noun: [string, string];
  columns: Column[];
  list(q: ListQuery): { op: string; params: Record<string, string> };
  /** Whether the list operation filters (else the screen filters the page it has). */
  serverFilter: boolean;
  page(data: unknown): { items: Item[]; total: number };
  /** The fields an administrator needs first, for the describe view. */
  summary(raw: Raw, now: number): [string, string][];
  /** Who an item belongs to, for confirmations and flashes. */
  who(item: Item): string;
  remove?: Change;
  revoke?: Change & { count?(item: Item): { op: string; params: Record<string, string> } };
}

const has = (ops: readonly OperationModel[], id: string) => ops.find((o) => o.id === id);
const ms = (v: unknown) => {
  const t = typeof v === "number" ? v : new Date(str(v)).getTime();
  return Number.isFinite(t) ? t : 0;
};
const time = (path: string, header: string, letter?: string, serverSort?: string): Column => ({
  header,
  ...(letter ? { letter } : {}),
  ...(serverSort ? { serverSort } : {}),
  value: (r, now) => relative(at(r, path), now),
  sortValue: (r) => ms(at(r, path)),
});
const text = (path: string, header: string, more: Partial<Column> = {}): Column => ({
  header,
  value: (r) => str(at(r, path)),
  ...more,
});

function pageOf(
  data: unknown,
  idOf: (r: Raw) => string,
  op?: OperationModel,
): { items: Item[]; total: number } {
  const d = (data ?? {}) as Raw;
  const entries = (pageItems(op, data) ?? []) as Raw[];
  const total = reportedTotal(op, data) ?? (typeof d.total === "number" ? d.total : entries.length);
  return { items: entries.map((raw) => ({ id: idOf(raw), raw })), total };
}

/** Sessions found by search-session: attributes under sessionAttributes. */
function searchedSessions(search: OperationModel): Screen {
  const attr = (k: string) => `sessionAttributes.${k}`;
  const columns: Column[] = [
    text(attr("auth_user"), "USER", { identifier: true, letter: "U", serverSort: "auth_user" }),
    text(attr("remote_ip"), "ADDRESS", { identifier: true, letter: "A" }),
    text(attr("client_id"), "CLIENT", { identifier: true, letter: "C", serverSort: "client_id" }),
    text("state", "STATE", { letter: "S", serverSort: "state" }),
    time("creationDate", "CREATED", "R", "creationDate"),
    time("lastUsedAt", "LAST USED", "L", "lastUsedAt"),
    time("expirationDate", "EXPIRES", "E", "expirationDate"),
    { header: "SID", identifier: true, value: (r) => str(r.sid ?? at(r, attr("sid")) ?? r.id) },
    text(attr("user_agent"), "USER AGENT"),
  ];
  return {
    name: "sessions",
    noun: ["session", "sessions"],
    columns,
    serverFilter: true,
    list: (q) => {
      const form = parseFilter(q.filter);
      const sort = q.sort && columns[q.sort.column]?.serverSort;
      if (sort) {
        form.sortBy = sort;
        form.sortOrder = q.sort?.descending ? "descending" : "ascending";
      }
      form.pageSize = String(q.limit);
      return { op: "search-session", params: searchParams(form, search, q.start) };
    },
    page: (data) => pageOf(data, (r) => str(r.sid ?? at(r, attr("sid")) ?? r.id), search),
    summary: (r, now) => [
      ["User", str(at(r, attr("auth_user")))],
      ["Address", str(at(r, attr("remote_ip")))],
      ["User agent", str(at(r, attr("user_agent")))],
      ["Client", str(at(r, attr("client_id")))],
      ["State", str(r.state)],
      ["Created", exact(r.creationDate, now)],
      ["Last used", exact(r.lastUsedAt, now)],
      ["Expires", exact(r.expirationDate, now)],
      ["SID", str(r.sid ?? at(r, attr("sid")))],
      ["User DN", str(r.userDn)],
    ],
    who: (i) => str(at(i.raw, attr("auth_user"))) || str(i.raw.userDn) || "no user",
    remove: { op: "delete-session", params: (i) => ({ sid: i.id }) },
    revoke: {
      op: "revoke-user-session",
      params: (i) => ({ userDn: str(i.raw.userDn) }),
      count: (i) => ({
        op: "search-session",
        params: searchParams(
          { ...parseFilter(""), user: str(at(i.raw, attr("auth_user"))), pageSize: "1" },
          search,
          0,
        ),
      }),
    },
  };
}

/** Pages of the admin document: limit and offset; filtered here, on the page the screen has. */
const adminList = (op: string, sorts?: Record<number, string>) => (q: ListQuery) => {
  const params: Record<string, string> = { limit: String(q.limit), offset: String(q.start) };
  const sort = q.sort && sorts?.[q.sort.column];
  if (sort && q.sort) Object.assign(params, { sort, order: q.sort.descending ? "desc" : "asc" });
  return { op, params };
};

function adminSessions(): Screen {
  const columns: Column[] = [
    text("username", "USER", { identifier: true, letter: "U", serverSort: "user" }),
    text("ipAddress", "ADDRESS", { identifier: true, letter: "A" }),
    time("createdAt", "CREATED", "R", "created"),
    time("lastActiveAt", "LAST USED", "L", "lastActive"),
    {
      header: "EXPIRES",
      letter: "E",
      value: (r, now) => relative(earlier(r.expiresAt, r.idleExpiresAt), now),
      sortValue: (r) => earlier(r.expiresAt, r.idleExpiresAt) ?? 0,
    },
    text("id", "SID", { identifier: true }),
    text("userAgent", "USER AGENT"),
  ];
  const sorts = Object.fromEntries(
    columns.flatMap((c, i) => (c.serverSort ? [[i, c.serverSort] as const] : [])),
  );
  return {
    name: "sessions",
    noun: ["session", "sessions"],
    columns,
    serverFilter: false,
    list: adminList("list-sessions", sorts),
    page: (data) => pageOf(data, (r) => str(r.id)),
    summary: (r, now) => [
      ["User", str(r.username)],
      ["Address", str(r.ipAddress)],
      ["User agent", str(r.userAgent)],
      ["Client", str(r.clientId)],
      ["State", "authenticated"],
      ["Created", exact(r.createdAt, now)],
      ["Last used", exact(r.lastActiveAt, now)],
      ["Expires", exact(earlier(r.expiresAt, r.idleExpiresAt), now)],
      ["SID", str(r.id)],
      ["User ID", str(r.userId)],
    ],
    who: (i) => str(i.raw.username) || str(i.raw.userId) || "no user",
    remove: { op: "terminate-session", params: (i) => ({ id: i.id }) },
    revoke: {
      op: "terminate-user-sessions",
      params: (i) => ({ userId: str(i.raw.userId) }),
      count: (i) => ({ op: "list-sessions", params: { userId: str(i.raw.userId), limit: "1" } }),
    },
  };
}

function readOnlyScreen(name: string, noun: [string, string], op: string, columns: Column[]): Screen {
  return {
    name,
    noun,
    columns,
    serverFilter: false,
    list: adminList(op),
    page: (data) => pageOf(data, (r) => str(r.id ?? r.username)),
    summary: (r, now) => columns.map((c) => [c.header.toLowerCase(), c.value(r, now)]),
    who: (i) => str(i.raw.username) || str(i.raw.userId) || str(i.id),
  };
}

const adminUsers = () =>
  readOnlyScreen("users", ["user", "users"], "list-users", [
    text("username", "USER", { identifier: true, letter: "U" }),
    text("sessions", "SESSIONS", { letter: "N", sortValue: (r) => Number(r.sessions ?? 0) }),
    time("lastLoginAt", "LAST LOGIN", "L"),
    text("disabled", "DISABLED", { letter: "D" }),
    time("lockedUntil", "LOCKED UNTIL"),
    text("email", "EMAIL", { identifier: true }),
    text("id", "ID", { identifier: true }),
  ]);

const adminAlarms = () =>
  readOnlyScreen("alarms", ["alarm", "alarms"], "list-alarms", [
    text("id", "ID", { identifier: true }),
    text("username", "USER", { identifier: true, letter: "U" }),
    { header: "ADDRESSES", value: (r) => (Array.isArray(r.addresses) ? r.addresses.join(" ") : "") },
    time("raisedAt", "RAISED", "R"),
    time("acknowledgedAt", "ACKNOWLEDGED", "K"),
    text("acknowledgedBy", "BY", { identifier: true }),
  ]);

const adminAudit = () =>
  readOnlyScreen("audit", ["event", "events"], "list-audit-events", [
    time("at", "AT", "R"),
    text("type", "TYPE", { letter: "T" }),
    text("username", "USER", { identifier: true, letter: "U" }),
    text("actor", "ACTOR", { identifier: true }),
    text("ipAddress", "ADDRESS", { identifier: true, letter: "A" }),
    text("sessionId", "SESSION", { identifier: true }),
  ]);

/** The screens of a document, sessions first; empty when it has no session screen. */
export function screensFor(ops: readonly OperationModel[]): Screen[] {
  const search = has(ops, "search-session");
  const sessions =
    search && has(ops, "delete-session") && has(ops, "revoke-user-session")
      ? searchedSessions(search)
      : has(ops, "list-sessions") && has(ops, "terminate-session") && has(ops, "terminate-user-sessions")
        ? adminSessions()
        : undefined;
  if (!sessions) return [];
  return [
    sessions,
    ...(has(ops, "list-users") ? [adminUsers()] : []),
    ...(has(ops, "list-alarms") ? [adminAlarms()] : []),
    ...(has(ops, "list-audit-events") ? [adminAudit()] : []),
  ];
}

/** Which of the Sessions screen's (search-session's) operations the document lacks; none when it has a screen. */
export function missingOperations(ops: readonly OperationModel[]): string[] {
  if (screensFor(ops).length) return [];
  return Object.values(OPERATIONS).filter((id) => !ops.some((o) => o.id === id));
}
