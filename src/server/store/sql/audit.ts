import { ALARMS, SESSION_EVENTS } from "../rows.js";
import type { AlarmQuery, AlarmRecord, AlarmStore, EventQuery, EventStore, SessionEvent } from "../types.js";
import type { SqlExecutor, TxExecutor } from "./executor.js";

// The audit of session events and the admin console's alarms: appended, listed newest first.

/** A page of a table, newest first, with its total. */
async function page(
  x: SqlExecutor,
  table: string,
  where: string[],
  params: unknown[],
  q: { limit: number; offset: number },
) {
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const total = Number((await x.get(`SELECT count(*) AS n FROM ${table} ${clause}`, params))?.n ?? 0);
  const rows = await x.all(`SELECT * FROM ${table} ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`, [
    ...params,
    q.limit,
    q.offset,
  ]);
  return { total, rows };
}

/** Appends an event (inside a caller's transaction too); its id. */
export async function appendEvent(x: TxExecutor | SqlExecutor, e: Omit<SessionEvent, "id">): Promise<number> {
  const ins = SESSION_EVENTS.insert(e);
  return Number((await x.get(`${ins.sql} RETURNING id`, ins.values))?.id);
}

export class SqlEvents implements EventStore {
  constructor(private readonly x: SqlExecutor) {}

  append(e: Omit<SessionEvent, "id">): Promise<number> {
    return appendEvent(this.x, e);
  }

  async list(q: EventQuery): Promise<{ total: number; entries: SessionEvent[] }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.types?.length) where.push(this.x.dialect.anyOf("type", q.types, params));
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (q.userDn !== undefined) add("user_dn = ?", q.userDn);
    if (q.since !== undefined) add("at >= ?", q.since);
    if (q.until !== undefined) add("at < ?", q.until);
    const { total, rows } = await page(this.x, "session_events", where, params, q);
    return { total, entries: rows.map(SESSION_EVENTS.fromRow) };
  }

  purgeBefore(at: number): Promise<number> {
    return Promise.resolve(this.x.run("DELETE FROM session_events WHERE at < ?", [at]));
  }
}

export class SqlAlarms implements AlarmStore {
  constructor(private readonly x: SqlExecutor) {}

  async raise(a: Omit<AlarmRecord, "id" | "acknowledgedAt" | "acknowledgedBy">): Promise<number | undefined> {
    // The partial unique index keeps one open alarm per kind and user, across processes and instances.
    const ins = ALARMS.insert(a);
    const sql = `${ins.sql} ON CONFLICT (kind, user_dn) WHERE acknowledged_at IS NULL DO NOTHING RETURNING id`;
    const r = await this.x.get(sql, ins.values);
    return r ? Number(r.id) : undefined;
  }

  async list(q: AlarmQuery): Promise<{ total: number; entries: AlarmRecord[] }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.open !== undefined) where.push(q.open ? "acknowledged_at IS NULL" : "acknowledged_at IS NOT NULL");
    if (q.userDn !== undefined) {
      where.push("user_dn = ?");
      params.push(q.userDn);
    }
    const { total, rows } = await page(this.x, "alarms", where, params, q);
    return { total, entries: rows.map(ALARMS.fromRow) };
  }

  async acknowledge(id: number, by: string, at: number): Promise<boolean> {
    const sql =
      "UPDATE alarms SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL";
    return (await this.x.run(sql, [at, by, id])) > 0;
  }
}
