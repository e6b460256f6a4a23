import { SESSION_COLUMNS, type SessionRow, sessionFromRow, sessionToRow, summaryFromRow } from "../rows.js";
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
import { appendEvent } from "./audit.js";
import { mapped, marks, type Row, type SqlExecutor, type TxExecutor } from "./executor.js";
import { revokeSessions } from "./grants.js";
import { addOutbox } from "./outbox.js";

/** What a dialect does its own way: the search, bulk import, and any columns of its own. */
export interface SessionParts {
  search(q: SessionQuery): Promise<SessionPage>;
  /** Bulk import without a cap (seeding, benchmarks); default: one INSERT a row, in one transaction. */
  insertMany?(recs: SessionRecord[]): Promise<void>;
  /** Columns only this dialect writes (PostgreSQL's search text), with their values. */
  extra?: { columns: readonly string[]; values(s: SessionRecord): unknown[] };
}

/** Every column a session's write sets, in the order of the INSERT's parameters (before any extra). */
export const WRITE_COLUMNS = [
  ...SESSION_COLUMNS.split(", "),
  "auth_user",
  "client_id",
  "acr",
  "remote_ip",
  "user_agent",
  "user_id",
] as const;
// Authentication rewrites these; sid, cookie, handle and the rest stay.
const KEPT = new Set([
  "sid",
  "cookie_hash",
  "created_at",
  "absolute_expires_at",
  "secure",
  "record_id",
  "grants",
  "handle",
]);
const UPGRADED = WRITE_COLUMNS.filter((c) => !KEPT.has(c));

const live = (col: string) => `SELECT ${SESSION_COLUMNS} FROM sessions WHERE ${col} = ? AND expires_at > ?`;
const BY_SID = live("sid");
const BY_COOKIE = live("cookie_hash");
const BY_HANDLE = live("handle");
const toRecord = (r: Row | undefined) => r && sessionFromRow(r as unknown as SessionRow);
const toRecords = (rows: Row[]) => rows.map((r) => sessionFromRow(r as unknown as SessionRow));
const ANON = "SELECT count(*) AS n FROM sessions WHERE state = 'unauthenticated' AND expires_at > ?";

async function countOf(t: TxExecutor, sql: string, params: unknown[]): Promise<number> {
  return Number((await t.get(sql, params))?.n ?? 0);
}

/** Rolls a rotation back (the old session stays) and carries why. */
class Refused extends Error {
  constructor(readonly result: CapResult) {
    super(result);
  }
}

export class SqlSessions implements SessionStore {
  private readonly insertSql: string;
  private readonly upgradeSql: string;

  constructor(
    private readonly x: SqlExecutor,
    private readonly parts: SessionParts,
  ) {
    const extra = parts.extra?.columns ?? [];
    const written = [...WRITE_COLUMNS, ...extra];
    this.insertSql = `INSERT INTO sessions (${written.join(", ")}) VALUES (${marks(written.length)})`;
    this.upgradeSql = `UPDATE sessions SET ${[...UPGRADED, ...extra].map((c) => `${c} = ?`).join(", ")} WHERE sid = ?`;
  }

  /** A session's values for the given shared columns, then the dialect's own. */
  private values(s: SessionRecord, columns: readonly string[] = WRITE_COLUMNS): unknown[] {
    const row = sessionToRow(s);
    return [...columns.map((c) => row[c]), ...(this.parts.extra?.values(s) ?? [])];
  }

  /** Whether rec may be written under the caps; inside the transaction, under the lock it decides by. */
  private async admit(t: TxExecutor, rec: SessionRecord, cap: SessionCap | undefined): Promise<CapResult> {
    if (!cap) return "ok";
    if (rec.state === "authenticated") return (await this.underCap(t, rec.userDn, cap)) ? "ok" : "limit";
    const perAddress = cap.anonymousPerAddress ?? 0;
    const total = cap.anonymousTotal ?? 0;
    if (perAddress <= 0 && total <= 0) return "ok";
    await t.lock("opcli:anonymous-sessions");
    const ip = rec.attributes.remote_ip ?? null;
    if (
      perAddress > 0 &&
      (await countOf(t, `${ANON} AND remote_ip IS NOT DISTINCT FROM ?`, [cap.now, ip])) >= perAddress
    )
      return "busy";
    if (total > 0 && (await countOf(t, ANON, [cap.now])) >= total) return "busy";
    return "ok";
  }

  private async underCap(t: TxExecutor, userDn: string | null, cap: SessionCap): Promise<boolean> {
    if (cap.max <= 0 || userDn === null) return true;
    await t.lock(`opcli:user-sessions:${userDn}`);
    const n = await countOf(
      t,
      "SELECT count(*) AS n FROM sessions WHERE user_dn = ? AND expires_at > ? AND state = 'authenticated'",
      [userDn, cap.now],
    );
    return n < cap.max;
  }

  insert(rec: SessionRecord, cap?: SessionCap): Promise<CapResult> {
    return this.x.tx(async (t) => {
      const admitted = await this.admit(t, rec, cap);
      if (admitted === "ok") await t.run(this.insertSql, this.values(rec));
      return admitted;
    });
  }

  async rotate(
    oldSid: string | null,
    rec: SessionRecord,
    cap: SessionCap,
    replacing?: SessionReplacing,
  ): Promise<CapResult> {
    try {
      return await this.x.tx(async (t) => {
        // The old session leaves first: it must not count against the cap it is replaced under.
        if (oldSid !== null) {
          const old = toRecord(
            await t.get(`DELETE FROM sessions WHERE sid = ? RETURNING ${SESSION_COLUMNS}`, [oldSid]),
          );
          if (old && replacing) await this.leaveBehind(t, [old], replacing);
        }
        const admitted = await this.admit(t, rec, cap);
        if (admitted !== "ok") throw new Refused(admitted);
        await t.run(this.insertSql, this.values(rec));
        return "ok" as const;
      });
    } catch (err) {
      if (err instanceof Refused) return err.result;
      throw err;
    }
  }

  async insertMany(recs: SessionRecord[]): Promise<void> {
    if (recs.length === 0) return;
    if (this.parts.insertMany) return this.parts.insertMany(recs);
    await this.x.tx(async (t) => {
      for (const r of recs) await t.run(this.insertSql, this.values(r));
    });
  }

  authenticate(sid: string, update: Partial<SessionRecord>, cap: SessionCap): Promise<CapResult> {
    return this.x.tx(async (t) => {
      const row = await t.get(`${BY_SID}${t.dialect.forUpdate}`, [sid, cap.now]);
      if (!row) return "gone";
      const next = { ...sessionFromRow(row as unknown as SessionRow), ...update };
      if (!(await this.underCap(t, next.userDn, cap))) return "limit";
      await t.run(this.upgradeSql, [...this.values(next, UPGRADED), sid]);
      return "ok";
    });
  }

  // The hot reads: on SQLite, no promise but the method's own.
  async getLive(sid: string, now: number): Promise<SessionRecord | undefined> {
    return mapped(this.x.get(BY_SID, [sid, now]), toRecord);
  }

  async getLiveByCookie(cookieHash: string, now: number): Promise<SessionRecord | undefined> {
    return mapped(this.x.get(BY_COOKIE, [cookieHash, now]), toRecord);
  }

  async getLiveByHandle(handle: string, now: number): Promise<SessionRecord | undefined> {
    return mapped(this.x.get(BY_HANDLE, [handle, now]), toRecord);
  }

  async touch(sid: string, lastUsedAt: number, expiresAt: number, usedBefore?: number): Promise<boolean> {
    const sql = "UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE sid = ? AND last_used_at <= ?";
    return mapped(
      this.x.run(sql, [lastUsedAt, expiresAt, sid, usedBefore ?? Number.MAX_SAFE_INTEGER]),
      (n) => n > 0,
    );
  }

  async setProperties(
    sid: string,
    properties: Record<string, string>,
    now: number,
  ): Promise<SessionRecord | undefined> {
    const sql = `UPDATE sessions SET props = ${this.x.dialect.jsonMerge("props")} WHERE sid = ? AND expires_at > ? RETURNING ${SESSION_COLUMNS}`;
    return toRecord(await this.x.get(sql, [JSON.stringify(properties), sid, now]));
  }

  search(q: SessionQuery): Promise<SessionPage> {
    return this.parts.search(q);
  }

  endLive(target: EndTarget, now: number, ending: SessionEnding): Promise<EndedSessions> {
    return this.x.tx(async (t) => {
      const rows =
        "sid" in target
          ? await t.all(
              `DELETE FROM sessions WHERE sid = ? AND expires_at > ? RETURNING ${SESSION_COLUMNS}`,
              [target.sid, now],
            )
          : await t.all(
              `DELETE FROM sessions WHERE user_dn = ? AND expires_at > ? AND sid IS DISTINCT FROM ? RETURNING ${SESSION_COLUMNS}`,
              [target.userDn, now, target.keepSid ?? null],
            );
      const sessions = toRecords(rows);
      await this.leaveBehind(t, sessions, ending);
      const events = [];
      for (const s of sessions) {
        const e = ending.event(s);
        events.push({ ...e, id: await appendEvent(t, e) });
      }
      return { sessions, events };
    });
  }

  /** What ended sessions leave: each one's `sid:` revocation, no refresh token, the deliveries they owe. */
  private async leaveBehind(t: TxExecutor, ended: SessionRecord[], ending: SessionReplacing): Promise<void> {
    await revokeSessions(
      t,
      ended.map((s) => s.sid),
      ending.revokeUntil,
    );
    if (ending.outbox && ended.length > 0) await addOutbox(t, ending.outbox(ended));
  }

  async recordGrant(sid: string, clientId: string, scopes: string): Promise<void> {
    await this.x.run(
      `UPDATE sessions SET grants = ${this.x.dialect.jsonSetKey("grants")}, permission_granted = ? WHERE sid = ?`,
      [clientId, scopes, this.x.dialect.bool(true), sid],
    );
  }

  /** One batch (on PostgreSQL, rows another instance is sweeping right now are skipped, not waited for). */
  sweepExpired(now: number, batch: number, ending?: Pick<SessionEnding, "outbox">): Promise<SessionRecord[]> {
    return this.x.tx(async (t) => {
      const rows = await t.all(
        `DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?${t.dialect.skipLocked})
         RETURNING ${SESSION_COLUMNS}`,
        [now, batch],
      );
      const gone = toRecords(rows);
      if (ending?.outbox && gone.length > 0) await addOutbox(t, ending.outbox(gone));
      return gone;
    });
  }

  async liveByUsers(userDns: string[], now: number): Promise<UserSessionSummary[]> {
    if (userDns.length === 0) return [];
    const d = this.x.dialect;
    const params: unknown[] = [];
    const rows = await this.x.all(
      `SELECT user_dn, count(*) AS n, ${d.distinctArray("remote_ip")} AS addresses, max(last_used_at) AS last_used_at
       FROM sessions WHERE ${d.anyOf("user_dn", userDns, params)} AND expires_at > ? AND state = 'authenticated' GROUP BY user_dn`,
      [...params, now],
    );
    return rows.map(summaryFromRow);
  }

  async count(): Promise<number> {
    return Number((await this.x.get("SELECT count(*) AS n FROM sessions"))?.n ?? 0);
  }
}
