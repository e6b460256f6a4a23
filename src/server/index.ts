// The reference server as a library, for scripts and benchmarks (and the CLI's embedded default).
export { createApp, createDeps } from "./app.js";
export { adminCredentialsPath, defaultDbPath, demoUsersPath, embeddedDbPath } from "./cli/paths.js";
export { provisionAdminClient, seedWithPasswordFile } from "./cli/provision.js";
export { seedDemo } from "./cli/seed.js";
export { ManualClock, systemClock } from "./core/clock.js";

import { DEFAULT_CONFIG } from "./core/config.js";

export { DEFAULT_CONFIG, resolveConfig } from "./core/config.js";
export { createCore, SERVER_VERSION, type ServerCore } from "./core/core.js";
export { cookieHash } from "./core/sessions.js";
export { SESSION_COLUMNS } from "./store/rows.js";
export { SqliteStore } from "./store/sqlite/store.js";
export type { SessionRecord, Store } from "./store/types.js";
/** The PostgreSQL store, loaded (with pg) only when asked for. */
export async function openPgStore(
  opts: import("./store/postgres/store.js").PgStoreOptions,
): Promise<import("./store/postgres/store.js").PgStore> {
  const { PgStore } = await import("./store/postgres/store.js");
  return PgStore.open(opts);
}
/** A store whose sessions live in Redis (the rest in `sql`), loaded (with redis) only when asked for. */
export async function openRedisSessions(
  sql: import("./store/types.js").Store,
  servers: string,
  prefix: string,
): Promise<import("./store/types.js").Store> {
  const { connectRedis } = await import("./store/redis/connect.js");
  const { withRedisSessions } = await import("./store/redis/store.js");
  const conn = await connectRedis({ ...DEFAULT_CONFIG.redisConfiguration, servers }, undefined);
  return withRedisSessions(sql, conn, prefix);
}
