import { afterAll, describe, expect, it } from "vitest";
import { RedisSessions } from "../../../src/server/store/redis/sessions.js";
import { withRedisSessions } from "../../../src/server/store/redis/store.js";
import { SqliteStore } from "../../../src/server/store/sqlite/store.js";
import { StoreUnavailable } from "../../../src/server/store/types.js";
import { openTestRedis, stopOwnRedis } from "../../helpers/redis.js";
import { session, storeContract } from "./contract.js";

// The whole contract on a store whose sessions live in Redis and whose other aggregates are
// SQLite's: the session parts exercise Redis, the rest shows the composition leaves them intact.

afterAll(stopOwnRedis);

storeContract("sessions in redis, the rest in sqlite", async () => {
  const { conn, prefix } = await openTestRedis();
  return withRedisSessions(new SqliteStore({ path: ":memory:" }), conn, prefix);
});

describe("a search over sessions in Redis past its time limit", () => {
  it("is StoreUnavailable (503 with Retry-After), not a long stall; the indexed list still answers", async () => {
    const { conn, prefix } = await openTestRedis();
    const sql = new SqliteStore({ path: ":memory:" });
    // A limit already past: the first batch read finds it exceeded.
    const sessions = new RedisSessions(conn, prefix, sql, -1);
    try {
      const s = session();
      await sessions.insert(s);
      const q = {
        now: s.createdAt,
        filters: [],
        pattern: "",
        sortBy: "creationDate" as const,
        descending: false,
        offset: 0,
        limit: 10,
      };
      await expect(sessions.search({ ...q, pattern: "alice" })).rejects.toBeInstanceOf(StoreUnavailable);
      expect((await sessions.search(q)).entries.map((e) => e.sid)).toEqual([s.sid]);
    } finally {
      await conn.close();
      await sql.close();
    }
  });
});
