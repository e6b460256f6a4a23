import { readFileSync } from "node:fs";
import { StoreUnavailable } from "../types.js";
import type { RedisConfiguration } from "./options.js";

// One connection to Redis whatever its topology (the npm client `redis`, loaded only when
// configured). Commands fail at once while Redis is unreachable (no offline queue): the request
// gets StoreUnavailable, 503 with Retry-After, and the client reconnects by itself meanwhile.

/** The commands the session store uses, the same on a client, a cluster and a sentinel. */
export interface RedisConn {
  eval(script: string, opts: { keys: string[]; arguments: string[] }): Promise<unknown>;
  get(key: string): Promise<string | null>;
  mGet(keys: string[]): Promise<(string | null)[]>;
  zRangeByScore(key: string, min: string, max: string): Promise<string[]>;
  /** Members by index (rev: highest first), scores ascending; ties in member order. */
  zRange(key: string, start: number, stop: number, opts?: { REV: true }): Promise<string[]>;
  zCount(key: string, min: string, max: string): Promise<number>;
  zCard(key: string): Promise<number>;
  exists(keys: string[]): Promise<number>;
  ping(): Promise<string>;
  close(): Promise<void>;
}

/** The password: $OPCLI_REDIS_PASSWORD, or the first line of the file $OPCLI_REDIS_PASSWORD_FILE names. */
export function redisPassword(env: Record<string, string | undefined>): string | undefined {
  if (env.OPCLI_REDIS_PASSWORD) return env.OPCLI_REDIS_PASSWORD;
  const file = env.OPCLI_REDIS_PASSWORD_FILE;
  if (!file) return undefined;
  try {
    return readFileSync(file, "utf8").split("\n")[0]?.trim() || undefined;
  } catch (err) {
    throw new Error(`cannot read $OPCLI_REDIS_PASSWORD_FILE: ${(err as NodeJS.ErrnoException).code}`);
  }
}

const nodes = (servers: string) =>
  servers.split(",").map((s) => {
    const t = s.trim();
    const i = t.lastIndexOf(":");
    return { host: t.slice(0, i).replace(/^\[|\]$/g, ""), port: Number(t.slice(i + 1)) };
  });

/** Reconnection: quickly at first, then every 2 s, for ever (recovery without a restart). */
const reconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 2000);

/** Connects; a first connection that fails within connectTimeoutMs is an error (the caller's exit 3). */
export async function connectRedis(
  cfg: RedisConfiguration,
  password: string | undefined,
  connectTimeoutMs = 5000,
): Promise<RedisConn> {
  const redis = await import("redis");
  const socket = {
    connectTimeout: connectTimeoutMs,
    reconnectStrategy,
    ...(cfg.useSSL ? { tls: true as const } : {}),
  };
  const auth = password ? { password } : {};
  const [first] = nodes(cfg.servers);
  let conn: { connect(): Promise<unknown>; on(e: "error", f: (e: Error) => void): unknown };
  if (cfg.redisProviderType === "CLUSTER") {
    conn = redis.createCluster({
      rootNodes: nodes(cfg.servers).map((n) => ({ socket: { ...n, ...socket } })),
      defaults: { ...auth, socket, disableOfflineQueue: true },
    });
  } else if (cfg.redisProviderType === "SENTINEL") {
    conn = redis.createSentinel({
      name: cfg.sentinelMasterGroupName,
      sentinelRootNodes: nodes(cfg.servers),
      nodeClientOptions: { ...auth, socket, disableOfflineQueue: true },
    });
  } else {
    conn = redis.createClient({ ...auth, socket: { ...first, ...socket }, disableOfflineQueue: true });
  }
  // Errors surface on the commands that fail; the event is only the client's news.
  conn.on("error", () => {});
  const deadline = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs).unref(),
  );
  // The first failure to connect is final at start-up (later ones are retried).
  const refused = new Promise<never>((_, reject) => conn.on("error", reject));
  try {
    await Promise.race([conn.connect(), deadline, refused]);
  } catch (err) {
    await (conn as unknown as RedisConn).close().catch(() => {});
    throw err;
  }
  return guarded(conn as unknown as RedisConn);
}

/** Every failure of a command becomes StoreUnavailable (the message names Redis, never the password). */
function guarded(c: RedisConn): RedisConn {
  const wrap =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await f(...a);
      } catch (err) {
        throw new StoreUnavailable(`Redis unavailable: ${(err as Error).message}`);
      }
    };
  return {
    eval: wrap((s: string, o: { keys: string[]; arguments: string[] }) => c.eval(s, o)),
    get: wrap((k: string) => c.get(k)),
    mGet: wrap((k: string[]) => c.mGet(k)),
    zRangeByScore: wrap((k: string, a: string, b: string) => c.zRangeByScore(k, a, b)),
    zCard: wrap((k: string) => c.zCard(k)),
    zRange: wrap((k: string, a: number, b: number, o?: { REV: true }) => c.zRange(k, a, b, o)),
    zCount: wrap((k: string, a: string, b: string) => c.zCount(k, a, b)),
    exists: wrap((k: string[]) => c.exists(k)),
    ping: wrap(() => c.ping()),
    close: () => c.close().catch(() => {}),
  };
}
