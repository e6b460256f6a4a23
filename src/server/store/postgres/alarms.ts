import { alarmFromRow } from "../rows.js";
import type { AlarmQuery, AlarmRecord, AlarmStore } from "../types.js";
import type { PgDb } from "./db.js";

export class PgAlarms implements AlarmStore {
  constructor(private readonly db: PgDb) {}

  async raise(a: Omit<AlarmRecord, "id" | "acknowledgedAt" | "acknowledgedBy">): Promise<number | undefined> {
    // The partial unique index keeps one open alarm per kind and user, across instances.
    const rows = await this.db.query(
      `INSERT INTO alarms (kind, user_dn, username, raised_at, detail) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (kind, user_dn) WHERE acknowledged_at IS NULL DO NOTHING RETURNING id`,
      [a.kind, a.userDn, a.username, a.raisedAt, JSON.stringify(a.detail)],
    );
    return rows[0] ? Number(rows[0].id) : undefined;
  }

  async list(q: AlarmQuery): Promise<{ total: number; entries: AlarmRecord[] }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.open !== undefined) where.push(q.open ? "acknowledged_at IS NULL" : "acknowledged_at IS NOT NULL");
    if (q.userDn !== undefined) {
      params.push(q.userDn);
      where.push(`user_dn = $${params.length}`);
    }
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const total = await this.db.count(`SELECT count(*) AS n FROM alarms ${clause}`, params);
    const n = params.length;
    const rows = await this.db.query(
      `SELECT * FROM alarms ${clause} ORDER BY id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, q.limit, q.offset],
    );
    return { total, entries: rows.map(alarmFromRow) };
  }

  async acknowledge(id: number, by: string, at: number): Promise<boolean> {
    const sql =
      "UPDATE alarms SET acknowledged_at = $1, acknowledged_by = $2 WHERE id = $3 AND acknowledged_at IS NULL";
    return (await this.db.run(sql, [at, by, id])) > 0;
  }
}
