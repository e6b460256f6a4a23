import { pageItems, reportedTotal } from "../client/paging-hint.js";
import type { OperationModel } from "../spec/model.js";
import { at, earlier, exact, type Raw, relative, str } from "./fields.js";
import { parseFilter } from "./filter.js";
import { OPERATIONS, searchParams } from "./sessions.js";

// The screens the loaded document offers, as data: which operation lists them, their columns
// (with the Shift+letter that sorts each), what the describe view shows first, and the changing
// operations. The document says which operations serve which screen (`x-opcli-screen`); the
// sessions list's layout is `session-attributes` (a search whose items keep their attributes under
// sessionAttributes, config-api style) or `flat` (the admin document's); users, alarms and audit
// lists are flat.

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

/** The operation that serves a screen in a role, as the document says (`x-opcli-screen`). */
const serving = (ops: readonly OperationModel[], name: string, role: string) =>
  ops.find((o) => o.screen?.name === name && o.screen.role === role);
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

/** Sessions found by a search: attributes under sessionAttributes. */
function searchedSessions(search: OperationModel, removeOp: string, revokeOp: string): Screen {
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
      return { op: search.id, params: searchParams(form, search, q.start) };
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
      ["Absolute limit", exact(r.absoluteExpirationDate, now)],
      ["SID", str(r.sid ?? at(r, attr("sid")))],
      ["User DN", str(r.userDn)],
    ],
    who: (i) => str(at(i.raw, attr("auth_user"))) || str(i.raw.userDn) || "no user",
    remove: { op: removeOp, params: (i) => ({ sid: i.id }) },
    revoke: {
      op: revokeOp,
      params: (i) => ({ userDn: str(i.raw.userDn) }),
      count: (i) => ({
        op: search.id,
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

function adminSessions(listOp: string, removeOp: string, revokeOp: string): Screen {
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
    list: adminList(listOp, sorts),
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
      ["Absolute limit", exact(r.absoluteExpiresAt, now)],
      ["SID", str(r.id)],
      ["User ID", str(r.userId)],
    ],
    who: (i) => str(i.raw.username) || str(i.raw.userId) || "no user",
    remove: { op: removeOp, params: (i) => ({ id: i.id }) },
    revoke: {
      op: revokeOp,
      params: (i) => ({ userId: str(i.raw.userId) }),
      count: (i) => ({ op: listOp, params: { userId: str(i.raw.userId), limit: "1" } }),
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

const adminUsers = (op: string) =>
  readOnlyScreen("users", ["user", "users"], op, [
    text("username", "USER", { identifier: true, letter: "U" }),
    text("sessions", "SESSIONS", { letter: "N", sortValue: (r) => Number(r.sessions ?? 0) }),
    time("lastLoginAt", "LAST LOGIN", "L"),
    text("disabled", "DISABLED", { letter: "D" }),
    time("lockedUntil", "LOCKED UNTIL"),
    text("email", "EMAIL", { identifier: true }),
    text("id", "ID", { identifier: true }),
  ]);

const adminAlarms = (op: string) =>
  readOnlyScreen("alarms", ["alarm", "alarms"], op, [
    text("id", "ID", { identifier: true }),
    text("username", "USER", { identifier: true, letter: "U" }),
    { header: "ADDRESSES", value: (r) => (Array.isArray(r.addresses) ? r.addresses.join(" ") : "") },
    time("raisedAt", "RAISED", "R"),
    time("acknowledgedAt", "ACKNOWLEDGED", "K"),
    text("acknowledgedBy", "BY", { identifier: true }),
  ]);

const adminAudit = (op: string) =>
  readOnlyScreen("audit", ["event", "events"], op, [
    time("at", "AT", "R"),
    text("type", "TYPE", { letter: "T" }),
    text("username", "USER", { identifier: true, letter: "U" }),
    text("actor", "ACTOR", { identifier: true }),
    text("ipAddress", "ADDRESS", { identifier: true, letter: "A" }),
    text("sessionId", "SESSION", { identifier: true }),
  ]);

/** The sessions screen the document's `x-opcli-screen` hints describe, if it has one. */
function sessionsScreen(ops: readonly OperationModel[]): Screen | undefined {
  const list = serving(ops, "sessions", "list");
  const remove = serving(ops, "sessions", "remove");
  const revoke = serving(ops, "sessions", "revoke");
  if (!list || !remove || !revoke) return undefined;
  if (list.screen?.layout === "session-attributes") return searchedSessions(list, remove.id, revoke.id);
  if (list.screen?.layout === "flat") return adminSessions(list.id, remove.id, revoke.id);
  return undefined;
}

/** The screens of a document, sessions first; empty when it has no session screen. */
export function screensFor(ops: readonly OperationModel[]): Screen[] {
  const sessions = sessionsScreen(ops);
  if (!sessions) return [];
  const lists: [string, (op: string) => Screen][] = [
    ["users", adminUsers],
    ["alarms", adminAlarms],
    ["audit", adminAudit],
  ];
  return [
    sessions,
    ...lists.flatMap(([name, make]) => {
      const op = serving(ops, name, "list");
      return op ? [make(op.id)] : [];
    }),
  ];
}

/** Why the document offers no screen (the usual operations it lacks, or the hints); none when it has one. */
export function whyNoScreen(ops: readonly OperationModel[]): string | undefined {
  if (screensFor(ops).length) return undefined;
  const missing = Object.values(OPERATIONS).filter((id) => !ops.some((o) => o.id === id));
  if (missing.length)
    return `opcli tui needs the operations ${missing.join(", ")}, which this document does not have (opcli --info lists its operations)`;
  return 'opcli tui needs a sessions screen: operations marked x-opcli-screen (a list, a remove and a revoke), which this document has none of (README, "Hints in the document"; --overlay adds them)';
}
