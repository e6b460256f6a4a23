import { DEFAULT_CONFIG, loadConfigFile } from "../core/config.js";
import { createCore, type ServerCore } from "../core/core.js";
import { jsonLogger, type Logger, silentLogger } from "../core/log.js";
import { SqliteStore } from "../store/sqlite/store.js";
import { ServerConfigError, ServerUsageError } from "./errors.js";
import type { ServerIO } from "./io.js";
import { defaultDbPath } from "./paths.js";

export interface Opened {
  core: ServerCore;
  dbPath: string;
}

/** Opens the store and builds the core; any failure to open is a configuration error. */
export async function openCore(
  values: Record<string, unknown>,
  io: ServerIO,
  issuer?: string,
): Promise<Opened> {
  const dbPath = (values.db as string | undefined) ?? defaultDbPath(io.env);
  let config = values.config ? loadConfigFile(values.config as string) : undefined;
  if (values.grace !== undefined) {
    const grace = String(values.grace);
    if (!/^\d{1,6}$/.test(grace))
      throw new ServerUsageError(`--grace must be a number of seconds, not "${grace}"`);
    config = { ...(config ?? DEFAULT_CONFIG), shutdownGracePeriod: Number(grace) };
  }
  let store: SqliteStore;
  try {
    store = new SqliteStore({ path: dbPath });
  } catch (err) {
    throw new ServerConfigError(`cannot open the store ${dbPath}: ${(err as Error).message}`);
  }
  const log: Logger = values.quiet ? silentLogger : jsonLogger(io.stderr);
  const core = await createCore({ store, log, ...(config ? { config } : {}), ...(issuer ? { issuer } : {}) });
  return { core, dbPath };
}
