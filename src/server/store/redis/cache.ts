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
  Store,
  UserSessionSummary,
} from "../types.js";
import { StoreUnavailable } from "../types.js";
import type { RedisConn } from "./connect.js";

// sessionIdPersistInCache false: Redis as a read-through cache in front of the database's
// sessions. Reads of a live session by sid, cookie or handle try Redis first and fall back to the
// database (also when Redis is down); every change bumps the session's version and drops its entry
// before the change returns, and an entry is only written if the version it was read under still
// holds, so a reader that raced a revocation never puts the ended session back.

/** ARGV: P, sid. Returns {version or false, entry or false}. */
const READ = `
local P, sid = ARGV[1], ARGV[2]
return { redis.call('GET', P .. 'v:' .. sid) or false, redis.call('GET', P .. 'e:' .. sid) or false }
`;
/** ARGV: P, sid, version read ("" for none), json, ttl. Writes only if the version is unchanged. */
const PUT = `
local P, sid = ARGV[1], ARGV[2]
if (redis.call('GET', P .. 'v:' .. sid) or '') ~= ARGV[3] then return 0 end
redis.call('SET', P .. 'e:' .. sid, ARGV[4], 'PX', ARGV[5])
return 1
`;
/** ARGV: P, version ttl, sids... Bumps each version and drops each entry. */
const DROP = `
local P, ttl = ARGV[1], ARGV[2]
for i = 3, #ARGV do
  redis.call('INCR', P .. 'v:' .. ARGV[i])
  redis.call('PEXPIRE', P .. 'v:' .. ARGV[i], ttl)
  redis.call('DEL', P .. 'e:' .. ARGV[i])
end
return 1
`;

export class CachedSessions implements SessionStore {
  constructor(
    private readonly inner: SessionStore,
    private readonly r: RedisConn,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  private eval(script: string, args: string[]): Promise<unknown> {
    return this.r.eval(script, { keys: [`${this.prefix}v`], arguments: [this.prefix, ...args] });
  }

  /**
   * Before an ending returns: a failure here fails its request (503), never leaves it cached. For
   * changes that revoke nothing (a touch, properties, a grant, authentication) a stale entry only
   * understates the session, so with Redis down they go ahead on the database alone.
   */
  private async soft(sids: string[]): Promise<void> {
    await this.drop(sids).catch((err: unknown) => {
      if (!(err instanceof StoreUnavailable)) throw err;
    });
  }

  private async drop(sids: string[]): Promise<void> {
    if (sids.length === 0) return;
    // A version outlives any read that could still be writing under the old one.
    await this.eval(DROP, [String(this.ttlMs + 60_000), ...sids]);
  }

  private async bySid(sid: string, now: number): Promise<SessionRecord | undefined> {
    let version = "";
    try {
      const [v, json] = (await this.eval(READ, [sid])) as [string | null, string | null];
      if (json) {
        const s = JSON.parse(json) as SessionRecord;
        return s.expiresAt > now ? s : undefined;
      }
      version = v ?? "";
    } catch (err) {
      if (!(err instanceof StoreUnavailable)) throw err;
      return this.inner.getLive(sid, now);
    }
    const rec = await this.inner.getLive(sid, now);
    if (rec) {
      const ttl = Math.min(this.ttlMs, rec.expiresAt - now);
      await this.eval(PUT, [sid, version, JSON.stringify(rec), String(ttl)]).catch(() => {});
    }
    return rec;
  }

  getLive(sid: string, now: number): Promise<SessionRecord | undefined> {
    return this.bySid(sid, now);
  }

  /** A cookie's or handle's sid never changes, so that mapping is cached as is; the session by its sid. */
  private async byKey(
    key: string,
    now: number,
    read: () => Promise<SessionRecord | undefined>,
  ): Promise<SessionRecord | undefined> {
    const sid = await this.r.get(`${this.prefix}${key}`).catch(() => null);
    if (sid) return this.bySid(sid, now);
    const rec = await read();
    if (rec)
      await this.eval("redis.call('SET', ARGV[1] .. ARGV[2], ARGV[3], 'PX', ARGV[4]) return 1", [
        key,
        rec.sid,
        String(this.ttlMs),
      ]).catch(() => {});
    return rec;
  }

  getLiveByCookie(cookieHash: string, now: number): Promise<SessionRecord | undefined> {
    return this.byKey(`k:${cookieHash}`, now, () => this.inner.getLiveByCookie(cookieHash, now));
  }

  getLiveByHandle(handle: string, now: number): Promise<SessionRecord | undefined> {
    return this.byKey(`hd:${handle}`, now, () => this.inner.getLiveByHandle(handle, now));
  }

  insert(rec: SessionRecord, cap?: SessionCap): Promise<CapResult> {
    return this.inner.insert(rec, cap);
  }

  insertMany(recs: SessionRecord[]): Promise<void> {
    return this.inner.insertMany(recs);
  }

  async authenticate(sid: string, update: Partial<SessionRecord>, cap: SessionCap): Promise<CapResult> {
    const r = await this.inner.authenticate(sid, update, cap);
    await this.soft([sid]);
    return r;
  }

  async rotate(
    oldSid: string | null,
    rec: SessionRecord,
    cap: SessionCap,
    replacing?: SessionReplacing,
  ): Promise<CapResult> {
    const r = await this.inner.rotate(oldSid, rec, cap, replacing);
    await this.drop(oldSid ? [oldSid] : []);
    return r;
  }

  async touch(sid: string, lastUsedAt: number, expiresAt: number, usedBefore?: number): Promise<boolean> {
    const r = await this.inner.touch(sid, lastUsedAt, expiresAt, usedBefore);
    if (r) await this.soft([sid]);
    return r;
  }

  async setProperties(
    sid: string,
    properties: Record<string, string>,
    now: number,
  ): Promise<SessionRecord | undefined> {
    const r = await this.inner.setProperties(sid, properties, now);
    await this.soft([sid]);
    return r;
  }

  async recordGrant(sid: string, clientId: string, scopes: string): Promise<void> {
    await this.inner.recordGrant(sid, clientId, scopes);
    await this.soft([sid]);
  }

  async endLive(target: EndTarget, now: number, ending: SessionEnding): Promise<EndedSessions> {
    const r = await this.inner.endLive(target, now, ending);
    await this.drop(r.sessions.map((s) => s.sid));
    return r;
  }

  async sweepExpired(
    now: number,
    batch: number,
    ending?: Pick<SessionEnding, "outbox">,
  ): Promise<SessionRecord[]> {
    const gone = await this.inner.sweepExpired(now, batch, ending);
    await this.soft(gone.map((s) => s.sid));
    return gone;
  }

  search(q: SessionQuery): Promise<SessionPage> {
    return this.inner.search(q);
  }

  liveByUsers(userDns: string[], now: number): Promise<UserSessionSummary[]> {
    return this.inner.liveByUsers(userDns, now);
  }

  count(): Promise<number> {
    return this.inner.count();
  }
}

/** The database's store with a read-through session cache in Redis (sessionIdPersistInCache false). */
export function withSessionCache(sql: Store, redis: RedisConn, prefix: string, ttlMs: number): Store {
  const sessions = new CachedSessions(sql.sessions, redis, prefix, ttlMs);
  return Object.assign(Object.create(sql) as Store, {
    sessions,
    kind: `${sql.kind}+redis-cache`,
    close: async () => {
      await redis.close();
      await sql.close();
    },
  });
}
