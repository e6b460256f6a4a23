import { eventFromRow, eventInsert, insertSql } from "../rows.js";
import type { EventQuery, EventStore, SessionEvent } from "../types.js";
import type { StatementCache } from "./statements.js";

/** The audit of session events: appended, listed newest first, purged by age. */
export class SqliteEvents implements EventStore {
  constructor(private readonly sql: StatementCache) {}

  async append(e: Omit<SessionEvent, "id">): Promise<number> {
    const ins = eventInsert(e);
    return Number(this.sql.get(insertSql(ins)).run(...ins.values).lastInsertRowid);
  }

  async list(q: EventQuery): Promise<{ total: number; entries: SessionEvent[] }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.types?.length) {
      where.push(`type IN (${q.types.map(() => "?").join(", ")})`);
      params.push(...q.types);
    }
    if (q.userDn !== undefined) {
      where.push("user_dn = ?");
      params.push(q.userDn);
    }
    if (q.since !== undefined) {
      where.push("at >= ?");
      params.push(q.since);
    }
    if (q.until !== undefined) {
      where.push("at < ?");
      params.push(q.until);
    }
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const { n } = this.sql.get(`SELECT count(*) AS n FROM session_events ${clause}`).get(...params) as {
      n: number;
    };
    const rows = this.sql
      .get(`SELECT * FROM session_events ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as Record<string, unknown>[];
    return { total: n, entries: rows.map(eventFromRow) };
  }

  async purgeBefore(at: number): Promise<number> {
    return this.sql.get("DELETE FROM session_events WHERE at < ?").run(at).changes;
  }
}
