import { pageItems, reportedTotal } from "../client/paging-hint.js";
import type { ItemPath, OperationModel, ScreenColumn, ScreenKind, ScreenModel } from "../spec/model.js";
import { earliest, exact, first, type Raw, relative, str, timeOf } from "./fields.js";
import { parseFilter } from "./filter.js";
import { listArgs } from "./list-args.js";

// The screens the loaded document offers, built from its `x-opcli-screen` hints alone (README,
// "Hints in the document"): a list operation's hint gives the screen (noun, item id and owner,
// columns with the Shift+letter that sorts each, what the describe view shows first, the list's
// parameters and filter words); the remove and revoke operations of the same name change it.
// Nothing here knows one API's field or parameter names.

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
const paths = (p: ItemPath) => (typeof p === "string" ? [p] : p);
const at = (r: Raw, p: ItemPath) => first(r, paths(p));
const ms = (v: unknown) => {
  const t = timeOf(typeof v === "number" ? v : str(v));
  return Number.isFinite(t) ? t : 0;
};
const soonest = (r: Raw, p: ItemPath) => earliest(paths(p).map((x) => first(r, [x])));

/** A field as the table shows it (times relative to now), or as describe does (`exact`). */
function cell(kind: ScreenKind, p: ItemPath, r: Raw, now: number, time = relative): string {
  if (kind === "time") return time(at(r, p), now);
  if (kind === "earliest-of") return time(soonest(r, p), now);
  if (kind === "fixed") return paths(p)[0]!;
  const v = at(r, p);
  if (kind === "words") return Array.isArray(v) ? v.map(str).join(" ") : "";
  return str(v);
}

function column(c: ScreenColumn): Column {
  const kind = c.kind ?? "text";
  const sortValue: Column["sortValue"] | undefined =
    kind === "time"
      ? (r) => ms(at(r, c.field))
      : kind === "earliest-of"
        ? (r) => soonest(r, c.field) ?? 0
        : kind === "number"
          ? (r) => Number(at(r, c.field) ?? 0)
          : undefined;
  return {
    header: c.header,
    ...(c.identifier ? { identifier: true } : {}),
    ...(c.letter ? { letter: c.letter } : {}),
    ...(c.sort ? { serverSort: c.sort } : {}),
    value: (r, now) => cell(kind, c.field, r, now),
    ...(sortValue ? { sortValue } : {}),
  };
}

function pageOf(
  data: unknown,
  idOf: (r: Raw) => string,
  op: OperationModel,
): { items: Item[]; total: number } {
  const d = (data ?? {}) as Raw;
  const entries = (pageItems(op, data) ?? []) as Raw[];
  const total = reportedTotal(op, data) ?? (typeof d.total === "number" ? d.total : entries.length);
  return { items: entries.map((raw) => ({ id: idOf(raw), raw })), total };
}

/** A change's arguments: each operation parameter from its item path. */
const argsOf = (params: Record<string, ItemPath>, i: Item) =>
  Object.fromEntries(Object.entries(params).map(([k, p]) => [k, str(at(i.raw, p))]));

/** The filter words of `count` as a filter form, the rest as the list's own parameters. */
function countOf(hint: ScreenModel, list: OperationModel, count: Record<string, ItemPath>) {
  const words = Object.keys(hint.filters ?? {});
  return (i: Item) => {
    const args = argsOf(count, i);
    const fields = new Map(
      words.filter((w) => w in args).map((w) => [w, ["=", args[w]!] as [string, string]]),
    );
    const own = Object.entries(args).filter(([k]) => !words.includes(k));
    const q = { form: { pattern: "", fields }, start: 0, limit: 1 };
    return { op: list.id, params: { ...listArgs(hint, list, q), ...Object.fromEntries(own) } };
  };
}

/** The remove and revoke operations of the screen's name, with their arguments from an item. */
function changesOf(hint: ScreenModel, list: OperationModel, ops: readonly OperationModel[]) {
  const remove = serving(ops, hint.name, "remove");
  const revoke = serving(ops, hint.name, "revoke");
  const out: Pick<Screen, "remove" | "revoke"> = {};
  const rp = remove?.screen?.params;
  if (remove && rp) out.remove = { op: remove.id, params: (i) => argsOf(rp, i) };
  const vp = revoke?.screen?.params;
  const count = revoke?.screen?.count;
  if (revoke && vp)
    out.revoke = {
      op: revoke.id,
      params: (i) => argsOf(vp, i),
      ...(count ? { count: countOf(hint, list, count) } : {}),
    };
  return out;
}

/** The screen a list operation's hint describes, with the remove and revoke of its name. */
function screenFrom(list: OperationModel, hint: ScreenModel, ops: readonly OperationModel[]): Screen {
  const columns = (hint.columns ?? []).map(column);
  const idOf = (r: Raw) => (hint.id ? str(at(r, hint.id)) : "");
  const words = Object.keys(hint.filters ?? {});
  const summary = hint.summary;
  return {
    name: hint.name,
    noun: hint.noun ?? [hint.name, hint.name],
    columns,
    serverFilter: words.length > 0 || hint.params?.pattern !== undefined,
    list: (q) => {
      const by = q.sort && columns[q.sort.column]?.serverSort;
      const sort = by && q.sort ? { by, descending: q.sort.descending } : undefined;
      const form = parseFilter(q.filter, words);
      return {
        op: list.id,
        params: listArgs(hint, list, { form, start: q.start, limit: q.limit, ...(sort ? { sort } : {}) }),
      };
    },
    page: (data) => pageOf(data, idOf, list),
    summary: (r, now) =>
      summary
        ? summary.map(([label, p, kind]) => [label, cell(kind ?? "text", p, r, now, exact)])
        : columns.map((c) => [c.header.toLowerCase(), c.value(r, now)]),
    who: (i) =>
      hint.who
        ? (paths(hint.who)
            .map((p) => str(at(i.raw, p)))
            .find(Boolean) ?? "no user")
        : i.id,
    ...changesOf(hint, list, ops),
  };
}

/** The screens of a document, in its order (one per name: the first list hint of each). */
export function screensFor(ops: readonly OperationModel[]): Screen[] {
  const seen = new Set<string>();
  return ops.flatMap((o) => {
    const hint = o.screen;
    if (hint?.role !== "list" || seen.has(hint.name)) return [];
    seen.add(hint.name);
    return [screenFrom(o, hint, ops)];
  });
}

/** Why the document offers no screen (what its hints lack); none when it has one. */
export function whyNoScreen(ops: readonly OperationModel[]): string | undefined {
  if (screensFor(ops).length) return undefined;
  const orphans = [...new Set(ops.flatMap((o) => (o.screen ? [`${o.screen.name} (${o.screen.role})`] : [])))];
  if (orphans.length)
    return `opcli tui needs a list for each screen: this document marks ${orphans.join(", ")} but no operation with x-opcli-screen role list (README, "Hints in the document"; --overlay adds one)`;
  return 'opcli tui needs a screen: an operation marked x-opcli-screen with role list (its columns), which this document has none of (opcli --info lists its operations; README, "Hints in the document"; --overlay adds them)';
}
