import { SESSION_COLUMNS, type SessionRow, sessionFromRow } from "../rows.js";
import { buildSessionQuery } from "../session-sql.js";
import type { SqlExecutor } from "../sql/executor.js";
import type { SessionPage, SessionQuery } from "../types.js";
import { SQLITE_DIALECT } from "./dialect.js";
import type { SearchJob, SearchPool, SearchRows } from "./search-pool.js";

/** A search as SQL: the count (unless not wanted) and the page. */
function searchJob(q: SessionQuery): SearchJob {
  const { where, params, orderBy, keyset } = buildSessionQuery(q, SQLITE_DIALECT);
  const pageWhere = keyset ? `${where} AND ${keyset.clause}` : where;
  return {
    ...(q.countTotal !== false
      ? { count: { sql: `SELECT count(*) AS n FROM sessions WHERE ${where}`, params } }
      : {}),
    // Pick the page's ids first (often from a covering index), then read only those rows.
    page: {
      sql: `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id IN
           (SELECT id FROM sessions WHERE ${pageWhere} ORDER BY ${orderBy} LIMIT ? OFFSET ?) ORDER BY ${orderBy}`,
      params: [...params, ...(keyset?.params ?? []), q.limit, q.offset],
    },
    offset: q.offset,
  };
}

/** On the store's own connection: an in-memory database, which no other connection can see. */
async function runHere(x: SqlExecutor, job: SearchJob): Promise<SearchRows> {
  let total = -1;
  if (job.count) {
    total = Number((await x.get(job.count.sql, job.count.params))?.n ?? 0);
    if (total === 0 || job.offset >= total) return { total, rows: [] };
  }
  return { total, rows: (await x.all(job.page.sql, job.page.params)) as unknown as SessionRow[] };
}

/** SQLite's session search: in the worker pool when the database is a file (off the event loop). */
export function sqliteSearch(x: SqlExecutor, pool: SearchPool | undefined) {
  return async (q: SessionQuery): Promise<SessionPage> => {
    const job = searchJob(q);
    const { total, rows } = pool ? await pool.run(job) : await runHere(x, job);
    return { total, entries: rows.map(sessionFromRow) };
  };
}
