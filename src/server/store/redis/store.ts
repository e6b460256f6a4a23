import type { RevocationStore, Store } from "../types.js";
import type { RedisConn } from "./connect.js";
import { RedisSessions } from "./sessions.js";

/**
 * Revocations in the database, plus the marks Redis writes in the same step that ends a session:
 * a session's tokens are refused from that instant, even before (or without) the database's row.
 */
class MarkedRevocations implements RevocationStore {
  constructor(
    private readonly sql: RevocationStore,
    private readonly sessions: RedisSessions,
  ) {}

  revoke(key: string, expiresAt: number): Promise<void> {
    return this.sql.revoke(key, expiresAt);
  }

  async isTokenRevoked(keys: string[], subject?: { subject: string; issuedAt: number }): Promise<boolean> {
    const sids = keys.filter((k) => k.startsWith("sid:")).map((k) => k.slice(4));
    return (await this.sessions.anyRevoked(sids)) || this.sql.isTokenRevoked(keys, subject);
  }

  revokeSubject(subject: string, before: number): Promise<void> {
    return this.sql.revokeSubject(subject, before);
  }

  purgeExpired(now: number): Promise<number> {
    return this.sql.purgeExpired(now);
  }
}

/** A database store whose sessions live in Redis (cacheProviderType REDIS, sessionIdPersistInCache true). */
export function withRedisSessions(sql: Store, redis: RedisConn, prefix: string): Store {
  const sessions = new RedisSessions(redis, prefix, sql);
  const revocations = new MarkedRevocations(sql.revocations, sessions);
  return {
    kind: `${sql.kind}+redis`,
    sessions,
    users: sql.users,
    loginAttempts: sql.loginAttempts,
    clients: sql.clients,
    keys: sql.keys,
    deviceCodes: sql.deviceCodes,
    refreshTokens: sql.refreshTokens,
    authorizationCodes: sql.authorizationCodes,
    events: sql.events,
    revocations,
    alarms: sql.alarms,
    outbox: sql.outbox,
    streams: sql.streams,
    async healthy() {
      const ok = await redis.ping().then(
        () => true,
        () => false,
      );
      return ok && (await sql.healthy());
    },
    reclaim: () => sql.reclaim(),
    async close() {
      await redis.close();
      await sql.close();
    },
  };
}
