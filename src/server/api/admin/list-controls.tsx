import type { FC } from "hono/jsx";
import { ADMIN_PAGES } from "../kit/mounts.js";

// A list's state kept in its URL (filters, sort, order, page size, offset), and the controls that
// change one part of it: sortable column headers, the page-size form, the pager (shown above and
// below the table). Everything is a link or a GET form: no script.

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

export interface ListState {
  path: string;
  /** The filters as the URL holds them (empty values left out). */
  filters: Record<string, string>;
  sort: string;
  order: "asc" | "desc";
  limit: number;
  offset: number;
}

/** The state's URL with some parts changed (a new sort or page size starts at the first page). */
export function hrefOf(st: ListState, change: Partial<ListState> = {}): string {
  const s = { ...st, ...change };
  const q = new URLSearchParams(Object.entries(s.filters).filter(([, v]) => v !== ""));
  if (s.sort) q.set("sort", s.sort);
  if (s.sort) q.set("order", s.order);
  if (s.limit !== DEFAULT_PAGE_SIZE) q.set("limit", String(s.limit));
  if (s.offset > 0) q.set("offset", String(s.offset));
  const qs = q.toString();
  return `${s.path}${qs ? `?${qs}` : ""}`;
}

/** Reads sort, order, limit and offset from a query (unknown values fall back to the defaults). */
export function listState(
  path: string,
  query: (k: string) => string | undefined,
  filters: Record<string, string>,
  sorts: readonly string[],
  defaultSort: string,
): ListState {
  const sort = sorts.includes(query("sort") ?? "") ? query("sort")! : defaultSort;
  const order =
    query("order") === "asc"
      ? "asc"
      : query("order") === "desc"
        ? "desc"
        : sort === defaultSort
          ? "desc"
          : "asc";
  const n = Number(query("limit"));
  const limit = (PAGE_SIZES as readonly number[]).includes(n) ? n : DEFAULT_PAGE_SIZE;
  const offset = Math.min(1_000_000, Math.max(0, Number.parseInt(query("offset") ?? "0", 10) || 0));
  return { path, filters, sort, order, limit, offset };
}

/** A column header; sortable ones link to their sort (again: the other order). */
export const SortHeader: FC<{ st: ListState; label: string; sortKey?: string; class?: string }> = (p) => {
  if (!p.sortKey)
    return (
      <th scope="col" class={p.class}>
        {p.label}
      </th>
    );
  const on = p.st.sort === p.sortKey;
  const next = on && p.st.order === "asc" ? "desc" : "asc";
  return (
    <th
      scope="col"
      class={p.class}
      aria-sort={on ? (p.st.order === "asc" ? "ascending" : "descending") : undefined}
    >
      <a href={hrefOf(p.st, { sort: p.sortKey, order: next, offset: 0 })}>
        {p.label}
        <span aria-hidden="true" class="arrow">
          {on ? (p.st.order === "asc" ? " ↑" : " ↓") : " ↕"}
        </span>
      </a>
    </th>
  );
};

/** "1–20 of 45", Previous/Next, and the per-page choice; `where` keeps the two copies' ids apart. */
export const Pager: FC<{ st: ListState; total: number; where: "top" | "bottom"; noun: string }> = ({
  st,
  total,
  where,
  noun,
}) => {
  if (total === 0) return null;
  const last = Math.min(total, st.offset + st.limit);
  const id = `per-page-${where}`;
  return (
    <div class={`pager pager-${where}`}>
      <nav aria-label={`Pages (${where})`}>
        {st.offset > 0 ? (
          <a href={hrefOf(st, { offset: Math.max(0, st.offset - st.limit) })} rel="prev">
            ‹ Previous
          </a>
        ) : null}
        <span>
          {st.offset + 1}–{last} of {total} {noun}
        </span>
        {last < total ? (
          <a href={hrefOf(st, { offset: st.offset + st.limit })} rel="next">
            Next ›
          </a>
        ) : null}
      </nav>
      <form method="get" action={st.path} class="per-page">
        {Object.entries(st.filters)
          .filter(([, v]) => v !== "")
          .map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
        <input type="hidden" name="sort" value={st.sort} />
        <input type="hidden" name="order" value={st.order} />
        <label for={id}>Per page</label>
        <select id={id} name="limit">
          {PAGE_SIZES.map((n) => (
            <option key={n} value={String(n)} selected={n === st.limit}>
              {n}
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
      </form>
    </div>
  );
};

// The console's list pages, with any query but no fragment or backslash.
const LIST_PAGE = new RegExp(`^${ADMIN_PAGES}/(sessions|users|alarms|audit)(\\?[^#\\\\]*)?$`);

/** A path of the console to go back to after an action (never another site). */
export function backTo(raw: string | undefined, fallback: string): string {
  if (!raw || !LIST_PAGE.test(raw)) return fallback;
  const u = new URL(raw, "http://x");
  for (const k of ["notice", "who", "n"]) u.searchParams.delete(k);
  const qs = u.searchParams.toString();
  return `${u.pathname}${qs ? `?${qs}` : ""}`;
}

/** `back` with a notice (what was done, to whom, how many) added. */
export function withNotice(back: string, notice: string, who: string, n?: number): string {
  const u = new URL(back, "http://x");
  u.searchParams.set("notice", notice);
  if (who) u.searchParams.set("who", who);
  if (n !== undefined) u.searchParams.set("n", String(n));
  return `${u.pathname}?${u.searchParams.toString()}`;
}
