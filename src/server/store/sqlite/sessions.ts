import type Database from "better-sqlite3";
import type {
  CapResult,
  SessionCap,
  SessionPage,
  SessionQuery,
  SessionRecord,
  SessionStore,
} from "../types.js";
import { SESSION_COLUMNS, type SessionRow, sessionFromRow, sessionToRow } from "./rows.js";
import { buildSessionQuery } from "./session-query.js";
import type { StatementCache } from "./statements.js";

const INSERT = `INSERT INTO sessions (${SESSION_COLUMNS}, auth_user, client_id, acr, remote_ip, user_agent)
  VALUES (@sid, @cookie_hash, @user_dn, @state, @created_at, @last_used_at, @auth_time, @absolute_expires_at,
          @expires_at, @permission_granted, @attrs, @auth_user, @client_id, @acr, @remote_ip, @user_agent)`;

const UPGRADE = `UPDATE sessions SET user_dn = @user_dn, state = @state, last_used_at = @last_used_at,
    auth_time = @auth_time, expires_at = @expires_at, permission_granted = @permission_granted, attrs = @attrs,
    auth_user = @auth_user, client_id = @client_id, acr = @acr, remote_ip = @remote_ip, user_agent = @user_agent
  WHERE sid = @sid AND expires_at > @now`;

export class SqliteSessions implements SessionStore {
  constructor(
    private readonly db: Database.Database,
    private readonly sql: StatementCache,
  ) {}

  private underCap(userDn: string | null, cap: SessionCap | undefined): boolean {
    if (!cap || cap.max <= 0 || userDn === null) return true;
    const { n } = this.sql
      .get(
        "SELECT count(*) AS n FROM sessions WHERE user_dn = ? AND expires_at > ? AND state = 'authenticated'",
      )
      .get(userDn, cap.now) as { n: number };
    return n < cap.max;
  }

  async insert(rec: SessionRecord, cap?: SessionCap): Promise<CapResult> {
    // IMMEDIATE takes the write lock before the count, so the cap holds across processes too.
    return this.db
      .transaction((): CapResult => {
        if (rec.state === "authenticated" && !this.underCap(rec.userDn, cap)) return "limit";
        this.sql.get(INSERT).run(sessionToRow(rec));
        return "ok";
      })
      .immediate();
  }

  /** Bulk import without a cap (seeding, benchmarks): one transaction. */
  async insertMany(recs: SessionRecord[]): Promise<void> {
    const stmt = this.sql.get(INSERT);
    this.db.transaction(() => {
      for (const r of recs) stmt.run(sessionToRow(r));
    })();
  }

  async authenticate(sid: string, update: Partial<SessionRecord>, cap: SessionCap): Promise<CapResult> {
    return this.db
      .transaction((): CapResult => {
        const row = this.sql
          .get(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE sid = ? AND expires_at > ?`)
          .get(sid, cap.now) as SessionRow | undefined;
        if (!row) return "gone";
        const next = { ...sessionFromRow(row), ...update };
        if (!this.underCap(next.userDn, cap)) return "limit";
        this.sql.get(UPGRADE).run({ ...sessionToRow(next), now: cap.now });
        return "ok";
      })
      .immediate();
  }

  async getLive(sid: string, now: number): Promise<SessionRecord | undefined> {
    const row = this.sql
      .get(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE sid = ? AND expires_at > ?`)
      .get(sid, now) as SessionRow | undefined;
    return row && sessionFromRow(row);
  }

  async getLiveByCookie(cookieHash: string, now: number): Promise<SessionRecord | undefined> {
    const row = this.sql
      .get(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE cookie_hash = ? AND expires_at > ?`)
      .get(cookieHash, now) as SessionRow | undefined;
    return row && sessionFromRow(row);
  }

  async touch(sid: string, lastUsedAt: number, expiresAt: number): Promise<void> {
    this.sql
      .get("UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE sid = ?")
      .run(lastUsedAt, expiresAt, sid);
  }

  async search(q: SessionQuery): Promise<SessionPage> {
    const { where, params, orderBy } = buildSessionQuery(q);
    const { n } = this.sql.get(`SELECT count(*) AS n FROM sessions WHERE ${where}`).get(...params) as {
      n: number;
    };
    if (n === 0 || q.offset >= n) return { total: n, entries: [] };
    // Pick the page's ids first (often from a covering index), then read only those rows.
    const rows = this.sql
      .get(
        `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id IN
           (SELECT id FROM sessions WHERE ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?) ORDER BY ${orderBy}`,
      )
      .all(...params, q.limit, q.offset) as SessionRow[];
    return { total: n, entries: rows.map(sessionFromRow) };
  }

  async deleteLive(sid: string, now: number): Promise<boolean> {
    return this.sql.get("DELETE FROM sessions WHERE sid = ? AND expires_at > ?").run(sid, now).changes > 0;
  }

  async deleteLiveOfUser(userDn: string, now: number): Promise<number> {
    return this.sql.get("DELETE FROM sessions WHERE user_dn = ? AND expires_at > ?").run(userDn, now).changes;
  }

  async sweepExpired(now: number, batch: number): Promise<number> {
    return this.sql
      .get(
        "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)",
      )
      .run(now, batch).changes;
  }

  async count(): Promise<number> {
    return (this.sql.get("SELECT count(*) AS n FROM sessions").get() as { n: number }).n;
  }
}
