import { SESSION_COLUMNS, type SessionRow, sessionFromRow } from "../rows.js";
import { type BuiltQuery, buildSessionQuery } from "../session-sql.js";
import type { Row, SqlExecutor } from "../sql/executor.js";
import type { SessionPage, SessionQuery } from "../types.js";
import { PG_DIALECT } from "./dialect.js";

/** Up to this many matches, a filtered page is picked by sorting the matches rather than by walking an index. */
const FILTER_FIRST_BELOW = 1_000_000;

const toRecords = (rows: Row[]) => rows.map((r) => sessionFromRow(r as unknown as SessionRow));

/**
 * The matches (their sort columns, from an index where one serves) counted and sorted in one
 * statement, then the page's rows read by sid; undefined when there are more than
 * FILTER_FIRST_BELOW matches, which the index walk serves better. Left to itself the planner may
 * walk the sort column's index and filter as it goes, assuming matches are spread evenly; bunched
 * ones (an expirationDate range sorted by creation) make that read most of the table.
 */
async function filterFirst(x: SqlExecutor, b: BuiltQuery, q: SessionQuery): Promise<SessionPage | undefined> {
  const keyset = b.keyset ? `WHERE ${b.keyset.clause}` : "";
  const r = await x.get(
    `WITH m AS MATERIALIZED (SELECT ${b.sortColumns} FROM sessions WHERE ${b.where} LIMIT ?)
        SELECT (SELECT count(*) FROM m) AS n,
               ARRAY(SELECT sid FROM m ${keyset} ORDER BY ${b.orderBy} LIMIT ? OFFSET ?) AS sids`,
    [...b.params, FILTER_FIRST_BELOW + 1, ...(b.keyset?.params ?? []), q.limit, q.offset],
  );
  const total = Number(r?.n ?? 0);
  if (total > FILTER_FIRST_BELOW) return undefined;
  const sids = (r?.sids as string[] | undefined) ?? [];
  if (sids.length === 0) return { total, entries: [] };
  const rows = await x.all(
    `SELECT ${SESSION_COLUMNS} FROM sessions WHERE sid = ANY(?::text[]) ORDER BY ${b.orderBy}`,
    [sids],
  );
  return { total, entries: toRecords(rows) };
}

/** PostgreSQL's session search: with a filter, most match few sessions, so counted and paged in one pass over them. */
export function pgSearch(x: SqlExecutor) {
  return async (q: SessionQuery): Promise<SessionPage> => {
    const built = buildSessionQuery(q, PG_DIALECT);
    // (Sorted by expiry, the liveness range's own index already yields the page in order.)
    const filtered = q.filters.length > 0 || q.pattern !== "" || q.expr !== undefined;
    if (q.countTotal !== false && filtered && !built.sortColumns.startsWith("expires_at")) {
      const page = await filterFirst(x, built, q);
      if (page) return page;
    }
    const { where, params, orderBy, keyset } = built;
    let total = -1;
    if (q.countTotal !== false) {
      total = Number((await x.get(`SELECT count(*) AS n FROM sessions WHERE ${where}`, params))?.n ?? 0);
      if (total === 0 || q.offset >= total) return { total, entries: [] };
    }
    const pageWhere = keyset ? `${where} AND ${keyset.clause}` : where;
    const rows = await x.all(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE ${pageWhere} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
      [...params, ...(keyset?.params ?? []), q.limit, q.offset],
    );
    return { total, entries: toRecords(rows) };
  };
}
