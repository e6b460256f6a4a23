import { OUTBOX, STREAM_COLUMNS, streamFromRow, streamValues } from "../outbox-rows.js";
import type { OutboxRecord, OutboxSettlement, OutboxStore, StreamRecord, StreamStore } from "../types.js";
import type { SqlExecutor, TxExecutor } from "./executor.js";

/** Writes outbox rows in the caller's transaction (a session's ending). */
export async function addOutbox(
  x: TxExecutor,
  rows: readonly OutboxRecord[],
  ignoreKnown = false,
): Promise<void> {
  for (const o of rows) {
    const ins = OUTBOX.insert(o);
    await x.run(ignoreKnown ? `${ins.sql} ON CONFLICT (id) DO NOTHING` : ins.sql, ins.values);
  }
}

export class SqlOutbox implements OutboxStore {
  constructor(private readonly x: SqlExecutor) {}

  async add(rows: OutboxRecord[]): Promise<void> {
    if (rows.length > 0) await this.x.tx((t) => addOutbox(t, rows));
  }

  async expand(rows: OutboxRecord[]): Promise<void> {
    if (rows.length > 0) await this.x.tx((t) => addOutbox(t, rows, true));
  }

  /** One statement: no two dispatchers claim the same row (SQLite's write lock; PostgreSQL skips locked rows). */
  async claim(now: number, leaseUntil: number, limit: number): Promise<OutboxRecord[]> {
    const rows = await this.x.all(
      `UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id IN
         (SELECT id FROM outbox WHERE state = 'pending' AND kind <> 'ssf-poll' AND next_attempt_at <= ?
          ORDER BY next_attempt_at LIMIT ?${this.x.dialect.skipLocked}) RETURNING *`,
      [leaseUntil, now, limit],
    );
    return rows.map(OUTBOX.fromRow);
  }

  async settle(id: string, s: OutboxSettlement): Promise<void> {
    await this.x.run("UPDATE outbox SET state = ?, next_attempt_at = ?, outcome = ? WHERE id = ?", [
      s.state,
      s.nextAttemptAt,
      s.outcome,
      id,
    ]);
  }

  async bySid(sid: string): Promise<OutboxRecord[]> {
    return (await this.x.all("SELECT * FROM outbox WHERE sid = ? ORDER BY created_at, id", [sid])).map(
      OUTBOX.fromRow,
    );
  }

  async pending(target: string, limit: number): Promise<OutboxRecord[]> {
    const sql = "SELECT * FROM outbox WHERE target = ? AND state = 'pending' ORDER BY created_at, id LIMIT ?";
    return (await this.x.all(sql, [target, limit])).map(OUTBOX.fromRow);
  }

  async acknowledge(target: string, ids: string[], now: number): Promise<number> {
    if (ids.length === 0) return 0;
    const params: unknown[] = [now, target];
    return this.x.run(
      `UPDATE outbox SET state = 'delivered', outcome = 'acknowledged', next_attempt_at = ?
       WHERE target = ? AND state = 'pending' AND ${this.x.dialect.anyOf("id", ids, params)}`,
      params,
    );
  }

  async purge(at: number): Promise<number> {
    return this.x.run("DELETE FROM outbox WHERE created_at < ? AND state <> 'pending'", [at]);
  }

  async dropTarget(target: string): Promise<number> {
    return this.x.run("DELETE FROM outbox WHERE target = ?", [target]);
  }
}

export class SqlStreams implements StreamStore {
  constructor(private readonly x: SqlExecutor) {}

  async insert(s: StreamRecord): Promise<void> {
    await this.x.run(
      `INSERT INTO ssf_streams (${STREAM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      streamValues(s),
    );
  }

  async get(id: string): Promise<StreamRecord | undefined> {
    const r = await this.x.get("SELECT * FROM ssf_streams WHERE id = ?", [id]);
    return r && streamFromRow(r);
  }

  private async many(sql: string, params: unknown[] = []): Promise<StreamRecord[]> {
    return (await this.x.all(sql, params)).map(streamFromRow);
  }

  ofClient(clientId: string): Promise<StreamRecord[]> {
    return this.many("SELECT * FROM ssf_streams WHERE client_id = ? ORDER BY created_at, id", [clientId]);
  }

  active(): Promise<StreamRecord[]> {
    return this.many("SELECT * FROM ssf_streams WHERE status <> 'disabled' ORDER BY created_at, id");
  }

  async update(s: StreamRecord): Promise<boolean> {
    const [id, clientId, ...rest] = streamValues(s);
    const sql =
      "UPDATE ssf_streams SET config = ?, status = ?, reason = ?, subjects = ?, created_at = ?, updated_at = ? WHERE id = ? AND client_id = ?";
    return (await this.x.run(sql, [...rest, id, clientId])) > 0;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.x.run("DELETE FROM ssf_streams WHERE id = ?", [id])) > 0;
  }
}
