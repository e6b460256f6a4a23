import { eventFromRow, eventInsert, insertSql } from "../rows.js";
import type { EventQuery, EventStore, SessionEvent } from "../types.js";
import { numbered, type PgDb } from "./db.js";

/** The audit of session events: appended, listed newest first, purged by age. */
export class PgEvents implements EventStore {
  constructor(private readonly db: PgDb) {}

  async append(e: Omit<SessionEvent, "id">): Promise<number> {
    const ins = eventInsert(e);
    const rows = await this.db.query(numbered(`${insertSql(ins)} RETURNING id`), ins.values);
    return Number(rows[0]?.id);
  }

  async list(q: EventQuery): Promise<{ total: number; entries: SessionEvent[] }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (q.types?.length) add((n) => `type = ANY(${n}::text[])`, q.types);
    if (q.userDn !== undefined) add((n) => `user_dn = ${n}`, q.userDn);
    if (q.since !== undefined) add((n) => `at >= ${n}`, q.since);
    if (q.until !== undefined) add((n) => `at < ${n}`, q.until);
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const total = await this.db.count(`SELECT count(*) AS n FROM session_events ${clause}`, params);
    const n = params.length;
    const rows = await this.db.query(
      `SELECT * FROM session_events ${clause} ORDER BY id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, q.limit, q.offset],
    );
    return { total, entries: rows.map(eventFromRow) };
  }

  purgeBefore(at: number): Promise<number> {
    return this.db.run("DELETE FROM session_events WHERE at < $1", [at]);
  }
}
