import { outboxFromRow, outboxInsert, STREAM_COLUMNS, streamFromRow, streamValues } from "../outbox-rows.js";
import { insertSql } from "../rows.js";
import type { OutboxRecord, OutboxSettlement, OutboxStore, StreamRecord, StreamStore } from "../types.js";
import type { SqlDatabase } from "./sql-database.js";
import type { StatementCache } from "./statements.js";

/** Writes outbox rows with the statements of the caller's transaction (a session's ending). */
export function addOutbox(sql: StatementCache, rows: readonly OutboxRecord[], ignoreKnown = false): void {
  for (const o of rows) {
    const ins = outboxInsert(o);
    const text = insertSql(ins);
    sql.get(ignoreKnown ? `${text} ON CONFLICT (id) DO NOTHING` : text).run(...ins.values);
  }
}

export class SqliteOutbox implements OutboxStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly sql: StatementCache,
  ) {}

  async add(rows: OutboxRecord[]): Promise<void> {
    this.db.transaction(() => addOutbox(this.sql, rows))();
  }

  async expand(rows: OutboxRecord[]): Promise<void> {
    this.db.transaction(() => addOutbox(this.sql, rows, true))();
  }

  async claim(now: number, leaseUntil: number, limit: number): Promise<OutboxRecord[]> {
    // One statement under SQLite's write lock: no two dispatchers claim the same row.
    const rows = this.sql
      .get(
        `UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id IN
           (SELECT id FROM outbox WHERE state = 'pending' AND kind <> 'ssf-poll' AND next_attempt_at <= ?
            ORDER BY next_attempt_at LIMIT ?) RETURNING *`,
      )
      .all(leaseUntil, now, limit) as Record<string, unknown>[];
    return rows.map(outboxFromRow);
  }

  async settle(id: string, s: OutboxSettlement): Promise<void> {
    this.sql
      .get("UPDATE outbox SET state = ?, next_attempt_at = ?, outcome = ? WHERE id = ?")
      .run(s.state, s.nextAttemptAt, s.outcome, id);
  }

  async bySid(sid: string): Promise<OutboxRecord[]> {
    const rows = this.sql
      .get("SELECT * FROM outbox WHERE sid = ? ORDER BY created_at, id")
      .all(sid) as Record<string, unknown>[];
    return rows.map(outboxFromRow);
  }

  async pending(target: string, limit: number): Promise<OutboxRecord[]> {
    const rows = this.sql
      .get("SELECT * FROM outbox WHERE target = ? AND state = 'pending' ORDER BY created_at, id LIMIT ?")
      .all(target, limit) as Record<string, unknown>[];
    return rows.map(outboxFromRow);
  }

  async acknowledge(target: string, ids: string[], now: number): Promise<number> {
    if (ids.length === 0) return 0;
    const marks = ids.map(() => "?").join(", ");
    return this.sql
      .get(
        `UPDATE outbox SET state = 'delivered', outcome = 'acknowledged', next_attempt_at = ?
         WHERE target = ? AND state = 'pending' AND id IN (${marks})`,
      )
      .run(now, target, ...ids).changes;
  }

  async purge(at: number): Promise<number> {
    return this.sql.get("DELETE FROM outbox WHERE created_at < ? AND state <> 'pending'").run(at).changes;
  }

  async dropTarget(target: string): Promise<number> {
    return this.sql.get("DELETE FROM outbox WHERE target = ?").run(target).changes;
  }
}

export class SqliteStreams implements StreamStore {
  constructor(private readonly sql: StatementCache) {}

  async insert(s: StreamRecord): Promise<void> {
    this.sql
      .get(`INSERT INTO ssf_streams (${STREAM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(...streamValues(s));
  }

  async get(id: string): Promise<StreamRecord | undefined> {
    const r = this.sql.get("SELECT * FROM ssf_streams WHERE id = ?").get(id) as
      | Record<string, unknown>
      | undefined;
    return r && streamFromRow(r);
  }

  private many(sql: string, ...params: unknown[]): StreamRecord[] {
    return (this.sql.get(sql).all(...params) as Record<string, unknown>[]).map(streamFromRow);
  }

  async ofClient(clientId: string): Promise<StreamRecord[]> {
    return this.many("SELECT * FROM ssf_streams WHERE client_id = ? ORDER BY created_at, id", clientId);
  }

  async active(): Promise<StreamRecord[]> {
    return this.many("SELECT * FROM ssf_streams WHERE status <> 'disabled' ORDER BY created_at, id");
  }

  async update(s: StreamRecord): Promise<boolean> {
    const [id, clientId, ...rest] = streamValues(s);
    return (
      this.sql
        .get(
          "UPDATE ssf_streams SET config = ?, status = ?, reason = ?, subjects = ?, created_at = ?, updated_at = ? WHERE id = ? AND client_id = ?",
        )
        .run(...rest, id, clientId).changes > 0
    );
  }

  async delete(id: string): Promise<boolean> {
    return this.sql.get("DELETE FROM ssf_streams WHERE id = ?").run(id).changes > 0;
  }
}
