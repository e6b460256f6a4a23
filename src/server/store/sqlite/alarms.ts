import { alarmFromRow } from "../rows.js";
import type { AlarmQuery, AlarmRecord, AlarmStore } from "../types.js";
import type { StatementCache } from "./statements.js";

export class SqliteAlarms implements AlarmStore {
  constructor(private readonly sql: StatementCache) {}

  async raise(a: Omit<AlarmRecord, "id" | "acknowledgedAt" | "acknowledgedBy">): Promise<number | undefined> {
    // The partial unique index keeps one open alarm per kind and user, across processes.
    const r = this.sql
      .get(
        `INSERT INTO alarms (kind, user_dn, username, raised_at, detail) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind, user_dn) WHERE acknowledged_at IS NULL DO NOTHING`,
      )
      .run(a.kind, a.userDn, a.username, a.raisedAt, JSON.stringify(a.detail));
    return r.changes > 0 ? Number(r.lastInsertRowid) : undefined;
  }

  async list(q: AlarmQuery): Promise<{ total: number; entries: AlarmRecord[] }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.open !== undefined) where.push(q.open ? "acknowledged_at IS NULL" : "acknowledged_at IS NOT NULL");
    if (q.userDn !== undefined) {
      where.push("user_dn = ?");
      params.push(q.userDn);
    }
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const { n } = this.sql.get(`SELECT count(*) AS n FROM alarms ${clause}`).get(...params) as { n: number };
    const rows = this.sql
      .get(`SELECT * FROM alarms ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as Record<string, unknown>[];
    return { total: n, entries: rows.map(alarmFromRow) };
  }

  async acknowledge(id: number, by: string, at: number): Promise<boolean> {
    const stmt = this.sql.get(
      "UPDATE alarms SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL",
    );
    return stmt.run(at, by, id).changes > 0;
  }
}
