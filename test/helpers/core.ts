import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../src/server/core/clock.js";
import { resolveConfig, type ServerConfig } from "../../src/server/core/config.js";
import { createCore, type ServerCore } from "../../src/server/core/core.js";
import { SqliteStore } from "../../src/server/store/sqlite/store.js";

export interface CoreUnderTest {
  core: ServerCore;
  clock: ManualClock;
  close(): Promise<void>;
}

/**
 * The server's core without HTTP, as createCore builds it for `serve`, over a real SQLite store in
 * a temporary file and a clock the test moves (cheap scrypt, no per-address login limit).
 */
export async function coreOnSqlite(config: Partial<ServerConfig> = {}): Promise<CoreUnderTest> {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
  const store = new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), "opcli-core-")), "server.db") });
  const core = await createCore({
    store,
    clock,
    config: resolveConfig({ passwordHashCost: 1024, loginAttemptsPerAddressPerMinute: 0, ...config }),
    issuer: "core-test",
  });
  return { core, clock, close: () => store.close() };
}
