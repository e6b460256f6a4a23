import { join } from "node:path";
import { DEFAULT_CONFIG, readConfigObject, resolveConfig, type ServerConfig } from "../core/config.js";
import { createCore, type ServerCore } from "../core/core.js";
import { type Logger, pinoLogger, silentLogger } from "../core/log.js";
import { SqliteStore } from "../store/sqlite/store.js";
import type { Store } from "../store/types.js";
import { ServerConfigError, ServerUsageError } from "./errors.js";
import type { ServerIO } from "./io.js";
import { serverDataDir } from "./paths.js";
import { chooseStore, redactUrl, type StoreChoice } from "./store-options.js";

export interface Opened {
  core: ServerCore;
  /** Where files that belong to this store go (admin-client.json beside it): the SQLite file, or a name in the data directory. */
  dbPath: string;
  /** The store as logs show it (a URL without its password). */
  label: string;
}

/** The config file without its "store" key, and that key. */
function readConfig(values: Record<string, unknown>): { config?: ServerConfig; store?: unknown } {
  if (!values.config) return {};
  const { store, ...rest } = readConfigObject(values.config as string);
  return { config: resolveConfig(rest), store };
}

/** The local name for a PostgreSQL store's files: host, port and database, never credentials. */
function pgFilesPath(url: string, env: ServerIO["env"]): string {
  let name = "postgresql";
  try {
    const u = new URL(url);
    name = `postgresql-${u.hostname || "local"}-${u.port || "5432"}-${u.pathname.slice(1) || "postgres"}`;
  } catch {}
  return join(serverDataDir(env), `${name.replace(/[^A-Za-z0-9._-]/g, "_")}.db`);
}

/** Opens the chosen store; a failure to reach or open it is a configuration error (exit 3). */
export async function openStore(choice: StoreChoice): Promise<Store> {
  if (choice.kind === "sqlite") {
    try {
      return new SqliteStore(choice);
    } catch (err) {
      throw new ServerConfigError(`cannot open the store ${choice.path}: ${(err as Error).message}`);
    }
  }
  const { PgStore } = await import("../store/postgres/store.js");
  try {
    return await PgStore.open({
      url: choice.url,
      poolSize: choice.poolSize,
      statementTimeoutMs: choice.statementTimeoutMs,
      connectRetryMs: choice.connectRetryMs,
    });
  } catch (err) {
    const why = (err as Error).message.replaceAll(choice.url, redactUrl(choice.url));
    throw new ServerConfigError(`cannot open the store ${redactUrl(choice.url)}: ${why}`);
  }
}

/** Janssen's key prefix by default; $OPCLI_REDIS_KEY_PREFIX separates deployments sharing one Redis. */
const redisPrefix = (env: ServerIO["env"]) => `{${env.OPCLI_REDIS_KEY_PREFIX || "opcli"}}:`;

/**
 * With cacheProviderType REDIS: the sessions move to Redis (sessionIdPersistInCache), or Redis
 * becomes a read-through cache in front of the database's (defaultPutExpiration seconds an entry).
 */
async function withSessionCache(store: Store, config: ServerConfig, env: ServerIO["env"]): Promise<Store> {
  if (config.cacheProviderType !== "REDIS") return store;
  const { connectRedis, redisPassword } = await import("../store/redis/connect.js");
  const servers = config.redisConfiguration.servers;
  try {
    const conn = await connectRedis(config.redisConfiguration, redisPassword(env));
    if (!config.sessionIdPersistInCache) {
      const { withSessionCache: cached } = await import("../store/redis/cache.js");
      return cached(store, conn, redisPrefix(env), config.redisConfiguration.defaultPutExpiration * 1000);
    }
    const { withRedisSessions } = await import("../store/redis/store.js");
    return withRedisSessions(store, conn, redisPrefix(env));
  } catch (err) {
    await store.close();
    throw new ServerConfigError(`cannot reach Redis at ${servers}: ${(err as Error).message}`);
  }
}

export function storeChoice(values: Record<string, unknown>, io: ServerIO): StoreChoice {
  return chooseStore(values, io.env, readConfig(values).store);
}

/** Opens the store and builds the core; any failure to open is a configuration error. */
export async function openCore(
  values: Record<string, unknown>,
  io: ServerIO,
  issuer?: string,
): Promise<Opened> {
  let { config, store: configStore } = readConfig(values);
  if (values.grace !== undefined) {
    const grace = String(values.grace);
    if (!/^\d{1,6}$/.test(grace))
      throw new ServerUsageError(`--grace must be a number of seconds, not "${grace}"`);
    config = { ...(config ?? DEFAULT_CONFIG), shutdownGracePeriod: Number(grace) };
  }
  const choice = chooseStore(values, io.env, configStore);
  const store = await withSessionCache(await openStore(choice), config ?? DEFAULT_CONFIG, io.env);
  const log: Logger = values.quiet
    ? silentLogger
    : pinoLogger(io.logDestination?.() ?? { write: (line: string) => io.stderr(line) });
  const core = await createCore({ store, log, ...(config ? { config } : {}), ...(issuer ? { issuer } : {}) });
  return choice.kind === "sqlite"
    ? { core, dbPath: choice.path, label: choice.path }
    : { core, dbPath: pgFilesPath(choice.url, io.env), label: redactUrl(choice.url) };
}
