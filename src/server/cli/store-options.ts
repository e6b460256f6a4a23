import type { Env } from "../../platform/paths.js";
import { ServerUsageError } from "./errors.js";
import { defaultDbPath } from "./paths.js";

// Which store a command opens: --store (or --db), then $OPCLI_STORE, then the config file's
// "store" object, then the default SQLite file.

export type StoreChoice =
  | { kind: "sqlite"; path: string; driver?: string }
  | {
      kind: "postgresql";
      url: string;
      poolSize: number;
      statementTimeoutMs: number;
      connectRetryMs: number;
    };

const PG_URL = /^postgres(ql)?:\/\//i;

export function isPostgresUrl(s: string): boolean {
  return PG_URL.test(s);
}

/** The URL with its password masked: what logs and messages show. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgresql://(unparsable URL)";
  }
}

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== "";
  } catch {
    return false;
  }
}

function count(raw: unknown, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const s = String(raw);
  if (!/^\d{1,7}$/.test(s) || Number(s) > max)
    throw new ServerUsageError(`${name} must be an integer from 0 to ${max}, not "${s}"`);
  return Number(s);
}

/** The config file's "store": a URL or path, or {url, poolSize, statementTimeout, connectRetry}. */
function fromConfig(raw: unknown): Record<string, unknown> {
  if (raw === undefined) return {};
  if (typeof raw === "string") return { url: raw };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ServerUsageError('the config key "store" must be a URL or an object with "url"');
  const { url, poolSize, statementTimeout, connectRetry, ...rest } = raw as Record<string, unknown>;
  const stray = Object.keys(rest)[0];
  if (stray) throw new ServerUsageError(`the config's "store" has an unknown key "${stray}"`);
  if (url !== undefined && typeof url !== "string")
    throw new ServerUsageError('"store.url" must be a string');
  return { url, poolSize, statementTimeout, connectRetry };
}

export function chooseStore(values: Record<string, unknown>, env: Env, configStore: unknown): StoreChoice {
  const file = fromConfig(configStore);
  if (values.db !== undefined && values.store !== undefined)
    throw new ServerUsageError("give --store or --db, not both");
  if (typeof values.store === "string" && isPostgresUrl(values.store) && hasPassword(values.store))
    throw new ServerUsageError(
      "--store carries a password, which other users can read in the process list: give it in $OPCLI_STORE, the config file's store.url, $PGPASSWORD or ~/.pgpass",
    );
  const where = (values.store ?? values.db ?? env.OPCLI_STORE ?? file.url) as string | undefined;
  // OPCLI_SQLITE_DRIVER forces node:sqlite or better-sqlite3 (default: node:sqlite where complete).
  const driver = env.OPCLI_SQLITE_DRIVER ? { driver: env.OPCLI_SQLITE_DRIVER } : {};
  if (where === undefined || where === "") return { kind: "sqlite", path: defaultDbPath(env), ...driver };
  if (!isPostgresUrl(where)) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(where))
      throw new ServerUsageError(
        `unsupported store "${redactUrl(where)}" (postgresql://... or a SQLite file)`,
      );
    return { kind: "sqlite", path: where, ...driver };
  }
  return {
    kind: "postgresql",
    url: where,
    poolSize: Math.max(1, count(values["store-pool-size"] ?? file.poolSize, "--store-pool-size", 10, 1000)),
    statementTimeoutMs: count(
      values["store-statement-timeout"] ?? file.statementTimeout,
      "--store-statement-timeout",
      5000,
      3_600_000,
    ),
    connectRetryMs:
      count(values["store-connect-retry"] ?? file.connectRetry, "--store-connect-retry", 30, 86_400) * 1000,
  };
}
