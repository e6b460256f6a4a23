import {
  eventInsert,
  insertSql,
  SESSION_COLUMNS,
  type SessionRow,
  sessionFromRow,
  sessionToRow,
  summaryFromRow,
} from "../rows.js";
import { buildSessionQuery } from "../session-sql.js";
import type {
  CapResult,
  EndedSessions,
  EndTarget,
  SessionCap,
  SessionEnding,
  SessionPage,
  SessionQuery,
  SessionRecord,
  SessionReplacing,
  SessionStore,
  UserSessionSummary,
} from "../types.js";
import { SQLITE_DIALECT } from "./dialect.js";
import { SQLITE_REVOKE } from "./grants.js";
import { addOutbox } from "./outbox.js";
import type { SearchJob, SearchPool, SearchRows } from "./search-pool.js";
import type { SqlDatabase } from "./sql-database.js";
import type { StatementCache } from "./statements.js";

const INSERT = `INSERT INTO sessions (${SESSION_COLUMNS}, auth_user, client_id, acr, remote_ip, user_agent, user_id)
  VALUES (@sid, @cookie_hash, @user_dn, @state, @created_at, @last_used_at, @auth_time, @absolute_expires_at,
          @expires_at, @permission_granted, @attrs, @secure, @record_id, @grants, @handle, @realm, @props,
          @auth_user, @client_id, @acr, @remote_ip, @user_agent, @user_id)`;

const UPGRADE = `UPDATE sessions SET user_dn = @user_dn, state = @state, last_used_at = @last_used_at,
    auth_time = @auth_time, expires_at = @expires_at, permission_granted = @permission_granted, attrs = @attrs,
    auth_user = @auth_user, client_id = @client_id, acr = @acr, remote_ip = @remote_ip, user_agent = @user_agent,
    user_id = @user_id, realm = @realm, props = @props
  WHERE sid = @sid AND expires_at > @now`;

/** Rolls a rotation back (the old session stays) and carries why. */
class Refused extends Error {
  constructor(readonly result: CapResult) {
    super(result);
  }
}

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

export class SqliteSessions implements SessionStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly sql: StatementCache,
    /** Where searches run when the database is a file (off the event loop). */
    private readonly pool?: SearchPool,
  ) {}

  /** The unauthenticated caps: per remote address and in all (partial indexes keep these cheap). */
  private anonymousRoom(rec: SessionRecord, cap: SessionCap | undefined): boolean {
    if (!cap || rec.state !== "unauthenticated") return true;
    const perAddress = cap.anonymousPerAddress ?? 0;
    if (perAddress > 0) {
      const { n } = this.sql
        .get(
          "SELECT count(*) AS n FROM sessions WHERE state = 'unauthenticated' AND remote_ip IS ? AND expires_at > ?",
        )
        .get(rec.attributes.remote_ip ?? null, cap.now) as { n: number };
      if (n >= perAddress) return false;
    }
    const total = cap.anonymousTotal ?? 0;
    if (total > 0) {
      const { n } = this.sql
        .get("SELECT count(*) AS n FROM sessions WHERE state = 'unauthenticated' AND expires_at > ?")
        .get(cap.now) as { n: number };
      if (n >= total) return false;
    }
    return true;
  }

  private admit(rec: SessionRecord, cap: SessionCap | undefined): CapResult {
    if (rec.state === "authenticated" && !this.underCap(rec.userDn, cap)) return "limit";
    if (!this.anonymousRoom(rec, cap)) return "busy";
    return "ok";
  }

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
        const admitted = this.admit(rec, cap);
        if (admitted === "ok") this.sql.get(INSERT).run(sessionToRow(rec));
        return admitted;
      })
      .immediate();
  }

  async rotate(
    oldSid: string | null,
    rec: SessionRecord,
    cap: SessionCap,
    replacing?: SessionReplacing,
  ): Promise<CapResult> {
    try {
      return this.replace(oldSid, rec, cap, replacing);
    } catch (err) {
      if (err instanceof Refused) return err.result;
      throw err;
    }
  }

  private replace(
    oldSid: string | null,
    rec: SessionRecord,
    cap: SessionCap,
    replacing?: SessionReplacing,
  ): CapResult {
    return this.db
      .transaction((): CapResult => {
        // The old session leaves first: it must not count against the cap it is replaced under.
        const old =
          oldSid === null
            ? undefined
            : (this.sql.get(`DELETE FROM sessions WHERE sid = ? RETURNING ${SESSION_COLUMNS}`).get(oldSid) as
                | SessionRow
                | undefined);
        if (old && replacing) this.leaveBehind([sessionFromRow(old)], replacing);
        const admitted = this.admit(rec, cap);
        if (admitted !== "ok") throw new Refused(admitted);
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

  async getLiveByHandle(handle: string, now: number): Promise<SessionRecord | undefined> {
    const row = this.sql
      .get(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE handle = ? AND expires_at > ?`)
      .get(handle, now) as SessionRow | undefined;
    return row && sessionFromRow(row);
  }

  async touch(sid: string, lastUsedAt: number, expiresAt: number, usedBefore?: number): Promise<boolean> {
    const r = this.sql
      .get("UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE sid = ? AND last_used_at <= ?")
      .run(lastUsedAt, expiresAt, sid, usedBefore ?? Number.MAX_SAFE_INTEGER);
    return r.changes > 0;
  }

  async setProperties(
    sid: string,
    properties: Record<string, string>,
    now: number,
  ): Promise<SessionRecord | undefined> {
    const row = this.sql
      .get(
        `UPDATE sessions SET props = json_patch(props, ?) WHERE sid = ? AND expires_at > ? RETURNING ${SESSION_COLUMNS}`,
      )
      .get(JSON.stringify(properties), sid, now) as SessionRow | undefined;
    return row && sessionFromRow(row);
  }

  async search(q: SessionQuery): Promise<SessionPage> {
    const job = searchJob(q);
    const { total, rows } = this.pool ? await this.pool.run(job) : this.runHere(job);
    return { total, entries: rows.map(sessionFromRow) };
  }

  async endLive(target: EndTarget, now: number, ending: SessionEnding): Promise<EndedSessions> {
    return this.db
      .transaction((): EndedSessions => {
        const rows = (
          "sid" in target
            ? this.sql
                .get(`DELETE FROM sessions WHERE sid = ? AND expires_at > ? RETURNING ${SESSION_COLUMNS}`)
                .all(target.sid, now)
            : this.sql
                .get(
                  `DELETE FROM sessions WHERE user_dn = ? AND expires_at > ? AND sid IS NOT ? RETURNING ${SESSION_COLUMNS}`,
                )
                .all(target.userDn, now, target.keepSid ?? null)
        ) as SessionRow[];
        const sessions = rows.map(sessionFromRow);
        this.leaveBehind(sessions, ending);
        const events = sessions.map((s) => {
          const e = ending.event(s);
          const ins = eventInsert(e);
          return { ...e, id: Number(this.sql.get(insertSql(ins)).run(...ins.values).lastInsertRowid) };
        });
        return { sessions, events };
      })
      .immediate();
  }

  /** On this thread: an in-memory database, which no other connection can see. */
  private runHere(job: SearchJob): SearchRows {
    let total = -1;
    if (job.count) {
      total = (this.sql.get(job.count.sql).get(...job.count.params) as { n: number }).n;
      if (total === 0 || job.offset >= total) return { total, rows: [] };
    }
    return { total, rows: this.sql.get(job.page.sql).all(...job.page.params) as SessionRow[] };
  }

  /** What ended sessions leave: each one's `sid:` revocation, no refresh token, the deliveries they owe. */
  private leaveBehind(ended: SessionRecord[], ending: SessionReplacing): void {
    for (const s of ended) {
      this.sql.get(SQLITE_REVOKE).run(`sid:${s.sid}`, ending.revokeUntil);
      this.sql.get("DELETE FROM refresh_tokens WHERE sid = ?").run(s.sid);
    }
    if (ending.outbox && ended.length > 0) addOutbox(this.sql, ending.outbox(ended));
  }

  async recordGrant(sid: string, clientId: string, scopes: string): Promise<void> {
    this.sql
      .get(
        "UPDATE sessions SET grants = json_set(grants, '$.' || json_quote(?), ?), permission_granted = 1 WHERE sid = ?",
      )
      .run(clientId, scopes, sid);
  }

  async sweepExpired(
    now: number,
    batch: number,
    ending?: Pick<SessionEnding, "outbox">,
  ): Promise<SessionRecord[]> {
    return this.db.transaction((): SessionRecord[] => {
      const rows = this.sql
        .get(
          `DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?) RETURNING ${SESSION_COLUMNS}`,
        )
        .all(now, batch) as SessionRow[];
      const gone = rows.map(sessionFromRow);
      if (ending?.outbox && gone.length > 0) addOutbox(this.sql, ending.outbox(gone));
      return gone;
    })();
  }

  async liveByUsers(userDns: string[], now: number): Promise<UserSessionSummary[]> {
    if (userDns.length === 0) return [];
    const marks = userDns.map(() => "?").join(", ");
    const rows = this.sql
      .get(
        `SELECT user_dn, count(*) AS n, json_group_array(DISTINCT remote_ip) AS addresses, max(last_used_at) AS last_used_at
         FROM sessions WHERE user_dn IN (${marks}) AND expires_at > ? AND state = 'authenticated' GROUP BY user_dn`,
      )
      .all(...userDns, now) as Record<string, unknown>[];
    return rows.map(summaryFromRow);
  }

  async count(): Promise<number> {
    return (this.sql.get("SELECT count(*) AS n FROM sessions").get() as { n: number }).n;
  }
}
