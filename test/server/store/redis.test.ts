import { afterAll } from "vitest";
import { withRedisSessions } from "../../../src/server/store/redis/store.js";
import { SqliteStore } from "../../../src/server/store/sqlite/store.js";
import { openTestRedis, stopOwnRedis } from "../../helpers/redis.js";
import { storeContract } from "./contract.js";

// The whole contract on a store whose sessions live in Redis and whose other aggregates are
// SQLite's: the session parts exercise Redis, the rest shows the composition leaves them intact.

afterAll(stopOwnRedis);

storeContract("sessions in redis, the rest in sqlite", async () => {
  const { conn, prefix } = await openTestRedis();
  return withRedisSessions(new SqliteStore({ path: ":memory:" }), conn, prefix);
});
