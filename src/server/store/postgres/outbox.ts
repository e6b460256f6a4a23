import { outboxFromRow, outboxInsert, STREAM_COLUMNS, streamFromRow, streamValues } from "../outbox-rows.js";
import { insertSql } from "../rows.js";
import type { OutboxRecord, OutboxSettlement, OutboxStore, StreamRecord, StreamStore } from "../types.js";
import { numbered, type PgDb, type Queryable } from "./db.js";

/** Writes outbox rows on the caller's connection (inside a session's ending transaction). */
export async function addOutbox(
  c: Queryable,
  rows: readonly OutboxRecord[],
  ignoreKnown = false,
): Promise<void> {
  for (const o of rows) {
    const ins = outboxInsert(o);
    const text = numbered(insertSql(ins));
    await c.query(ignoreKnown ? `${text} ON CONFLICT (id) DO NOTHING` : text, ins.values);
  }
}

export class PgOutbox implements OutboxStore {
  constructor(private readonly db: PgDb) {}

  async add(rows: OutboxRecord[]): Promise<void> {
    if (rows.length > 0) await this.db.tx((c) => addOutbox(c, rows));
  }

  async expand(rows: OutboxRecord[]): Promise<void> {
    if (rows.length > 0) await this.db.tx((c) => addOutbox(c, rows, true));
  }

  /** Rows another instance is claiming right now are skipped, not waited for (nor sent twice). */
  async claim(now: number, leaseUntil: number, limit: number): Promise<OutboxRecord[]> {
    const rows = await this.db.query(
      `UPDATE outbox SET next_attempt_at = $1, attempts = attempts + 1 WHERE id IN
         (SELECT id FROM outbox WHERE state = 'pending' AND kind <> 'ssf-poll' AND next_attempt_at <= $2
          ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING *`,
      [leaseUntil, now, limit],
    );
    return rows.map(outboxFromRow);
  }

  async settle(id: string, s: OutboxSettlement): Promise<void> {
    await this.db.query("UPDATE outbox SET state = $1, next_attempt_at = $2, outcome = $3 WHERE id = $4", [
      s.state,
      s.nextAttemptAt,
      s.outcome,
      id,
    ]);
  }

  async bySid(sid: string): Promise<OutboxRecord[]> {
    const rows = await this.db.query("SELECT * FROM outbox WHERE sid = $1 ORDER BY created_at, id", [sid]);
    return rows.map(outboxFromRow);
  }

  async pending(target: string, limit: number): Promise<OutboxRecord[]> {
    const rows = await this.db.query(
      "SELECT * FROM outbox WHERE target = $1 AND state = 'pending' ORDER BY created_at, id LIMIT $2",
      [target, limit],
    );
    return rows.map(outboxFromRow);
  }

  async acknowledge(target: string, ids: string[], now: number): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.db.query(
      `UPDATE outbox SET state = 'delivered', outcome = 'acknowledged', next_attempt_at = $1
       WHERE target = $2 AND state = 'pending' AND id = ANY($3::text[]) RETURNING 1 AS ok`,
      [now, target, ids],
    );
    return rows.length;
  }

  async purge(at: number): Promise<number> {
    const rows = await this.db.query(
      "DELETE FROM outbox WHERE created_at < $1 AND state <> 'pending' RETURNING 1 AS ok",
      [at],
    );
    return rows.length;
  }

  async dropTarget(target: string): Promise<number> {
    return (await this.db.query("DELETE FROM outbox WHERE target = $1 RETURNING 1 AS ok", [target])).length;
  }
}

export class PgStreams implements StreamStore {
  constructor(private readonly db: PgDb) {}

  async insert(s: StreamRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO ssf_streams (${STREAM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      streamValues(s),
    );
  }

  async get(id: string): Promise<StreamRecord | undefined> {
    const r = (await this.db.query("SELECT * FROM ssf_streams WHERE id = $1", [id]))[0];
    return r && streamFromRow(r);
  }

  async ofClient(clientId: string): Promise<StreamRecord[]> {
    const rows = await this.db.query(
      "SELECT * FROM ssf_streams WHERE client_id = $1 ORDER BY created_at, id",
      [clientId],
    );
    return rows.map(streamFromRow);
  }

  async active(): Promise<StreamRecord[]> {
    const rows = await this.db.query(
      "SELECT * FROM ssf_streams WHERE status <> 'disabled' ORDER BY created_at, id",
    );
    return rows.map(streamFromRow);
  }

  async update(s: StreamRecord): Promise<boolean> {
    const [id, clientId, ...rest] = streamValues(s);
    const rows = await this.db.query(
      `UPDATE ssf_streams SET config = $1, status = $2, reason = $3, subjects = $4, created_at = $5, updated_at = $6
       WHERE id = $7 AND client_id = $8 RETURNING 1 AS ok`,
      [...rest, id, clientId],
    );
    return rows.length > 0;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.query("DELETE FROM ssf_streams WHERE id = $1 RETURNING 1 AS ok", [id])).length > 0;
  }
}
