import { readFileSync } from "node:fs";

/** Lifetimes and limits of the reference server; names follow Janssen's auth-server properties. */
export interface ServerConfig {
  /** Absolute session lifetime, seconds. */
  sessionIdLifetime: number;
  /** Idle lifetime of authenticated sessions, seconds. */
  sessionIdUnusedLifetime: number;
  /** Idle lifetime of unauthenticated sessions, seconds. */
  sessionIdUnauthenticatedUnusedLifetime: number;
  /** Concurrent live authenticated sessions per user; 0 disables the cap. */
  maxSessionsPerUser: number;
  /** Largest `limit` search-session accepts. */
  maxSearchLimit: number;
  /** Consecutive failed logins before the account locks. */
  lockoutThreshold: number;
  /** How long a locked account stays locked, seconds. */
  lockoutDuration: number;
  /** Access-token lifetime, seconds. */
  accessTokenLifetime: number;
  /** How often the sweeper purges expired sessions, seconds. */
  sweepInterval: number;
  /** scrypt cost parameter N for new password hashes (a power of two). */
  passwordHashCost: number;
  /** Device authorization codes live this long, seconds. */
  deviceCodeLifetime: number;
  /** Minimum polling interval the device flow announces, seconds. */
  deviceCodeInterval: number;
  /** Refresh tokens (device flow only) live this long, seconds. */
  refreshTokenLifetime: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  sessionIdLifetime: 86_400,
  sessionIdUnusedLifetime: 3_600,
  sessionIdUnauthenticatedUnusedLifetime: 120,
  maxSessionsPerUser: 10,
  maxSearchLimit: 200,
  lockoutThreshold: 10,
  lockoutDuration: 900,
  accessTokenLifetime: 300,
  sweepInterval: 60,
  passwordHashCost: 16_384,
  deviceCodeLifetime: 600,
  deviceCodeInterval: 5,
  refreshTokenLifetime: 2_592_000,
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Merges a partial config over the defaults, refusing unknown keys and non-positive numbers. */
export function resolveConfig(partial: Record<string, unknown> = {}): ServerConfig {
  const out: ServerConfig = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(partial)) {
    if (!(key in DEFAULT_CONFIG)) throw new ConfigError(`unknown config key "${key}"`);
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new ConfigError(`config key "${key}" must be a non-negative number`);
    }
    out[key as keyof ServerConfig] = value;
  }
  if (!Number.isInteger(Math.log2(out.passwordHashCost))) {
    throw new ConfigError("passwordHashCost must be a power of two");
  }
  return out;
}

export function loadConfigFile(path: string): ServerConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`cannot read config ${path}: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config ${path} must be a JSON object`);
  }
  return resolveConfig(parsed as Record<string, unknown>);
}
