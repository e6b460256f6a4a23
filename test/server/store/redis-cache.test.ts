import { afterAll, describe, expect, it } from "vitest";
import { withSessionCache } from "../../../src/server/store/redis/cache.js";
import { SqliteStore } from "../../../src/server/store/sqlite/store.js";
import { openTestRedis, stopOwnRedis } from "../../helpers/redis.js";
import { session, storeContract } from "./contract.js";

// sessionIdPersistInCache false: Redis as a read-through cache in front of the database. The
// contract holds unchanged through it; a read is served from Redis; every change drops the entry
// before it returns; with Redis gone, reads answer from the database.

afterAll(stopOwnRedis);

storeContract("sqlite with a read-through session cache in redis", async () => {
  const { conn, prefix } = await openTestRedis();
  return withSessionCache(new SqliteStore({ path: ":memory:" }), conn, prefix, 60_000);
});

const T0 = Date.UTC(2026, 5, 1, 12);
const ending = {
  revokeUntil: T0 + 3_600_000,
  event: (s: { sid: string; userDn: string | null }) => ({
    at: T0,
    type: "revoked" as const,
    sid: s.sid,
    userDn: s.userDn,
    username: null,
    clientId: null,
    actorType: "admin" as const,
    actor: "t",
    remoteIp: null,
    detail: {},
  }),
};

describe("the read-through session cache", () => {
  it("serves a read from Redis, and an ending through it is seen at once", async () => {
    const { conn, prefix } = await openTestRedis();
    const sql = new SqliteStore({ path: ":memory:" });
    const store = withSessionCache(sql, conn, prefix, 60_000);
    try {
      const s = session();
      await store.sessions.insert(s);
      expect(await store.sessions.getLive(s.sid, T0)).toEqual(s);
      // Behind the cache's back: the cached entry still answers (so it is a cache).
      await sql.sessions.setProperties(s.sid, { x: "1" }, T0);
      expect((await store.sessions.getLive(s.sid, T0))?.properties).toEqual({});
      // Through it: dropped before the change returns.
      await store.sessions.setProperties(s.sid, { y: "2" }, T0);
      expect((await store.sessions.getLive(s.sid, T0))?.properties).toEqual({ x: "1", y: "2" });
      expect(await store.sessions.getLiveByCookie(s.cookieHash, T0)).toBeDefined();
      await store.sessions.endLive({ sid: s.sid }, T0, ending);
      expect(await store.sessions.getLive(s.sid, T0)).toBeUndefined();
      expect(await store.sessions.getLiveByCookie(s.cookieHash, T0)).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it("answers reads from the database when Redis is gone", async () => {
    const { conn, prefix } = await openTestRedis();
    const sql = new SqliteStore({ path: ":memory:" });
    const store = withSessionCache(sql, conn, prefix, 60_000);
    try {
      const s = session();
      await store.sessions.insert(s);
      await conn.close();
      expect(await store.sessions.getLive(s.sid, T0)).toEqual(s);
      expect(await store.sessions.getLiveByCookie(s.cookieHash, T0)).toEqual(s);
    } finally {
      await sql.close();
    }
  });
});
