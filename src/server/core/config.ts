import { readFileSync } from "node:fs";
import { REDIS_PROVIDER_TYPES, type RedisConfiguration } from "../store/redis/options.js";
import { INTERNAL_PROPERTIES, PROPERTY_NAME, REALM_PATH } from "./realms.js";
import type { Webhook } from "./webhooks.js";

/** Lifetimes and limits of the reference server; names follow Janssen's auth-server properties. */
export interface ServerConfig {
  /** Absolute session lifetime, seconds. */
  sessionIdLifetime: number;
  /** Idle lifetime of authenticated sessions, seconds. */
  sessionIdUnusedLifetime: number;
  /** Idle lifetime of unauthenticated sessions, seconds. */
  sessionIdUnauthenticatedUnusedLifetime: number;
  /** Lifetime of the session_id cookie, seconds; 0 or -1: a browser-session cookie. */
  sessionIdCookieLifetime: number;
  /** A new session (sid and cookie) on every successful authentication, the old one ended. */
  changeSessionIdOnAuthentication: boolean;
  /** Concurrent live authenticated sessions per user; 0 disables the cap. */
  maxSessionsPerUser: number;
  /** Live unauthenticated sessions per remote address; 0 disables. */
  maxUnauthenticatedSessionsPerAddress: number;
  /** Live unauthenticated sessions in all; 0 disables. */
  maxUnauthenticatedSessions: number;
  /** Login attempts per remote address per minute (per server instance); 0 disables. */
  loginAttemptsPerAddressPerMinute: number;
  /** Largest request body, bytes (413 above). */
  maxRequestBodyBytes: number;
  /** Longest stored attribute (user agent truncated; longer acr_values or client_id refused). */
  maxAttributeLength: number;
  /** Largest `limit` search-session accepts. */
  maxSearchLimit: number;
  /** Failed logins (per user name) that lock it. */
  lockoutThreshold: number;
  /** How long a locked name stays locked, seconds. */
  lockoutDuration: number;
  /** Access-token lifetime, seconds. */
  accessTokenLifetime: number;
  /** How often the sweeper purges expired records, seconds; 0 disables it. */
  sweepInterval: number;
  /** scrypt cost parameter N for new password hashes (a power of two). */
  passwordHashCost: number;
  /** Device authorization codes live this long, seconds. */
  deviceCodeLifetime: number;
  /** Minimum polling interval the device flow announces, seconds. */
  deviceCodeInterval: number;
  /** Refresh tokens live this long, seconds. */
  refreshTokenLifetime: number;
  /** After SIGTERM, in-flight requests get this long before connections are closed, seconds. */
  shutdownGracePeriod: number;
  /** The session_id cookie is also accepted as a request parameter at authorize (Janssen's switch). */
  sessionIdRequestParameterEnabled: boolean;
  /** After an authorization flow the session_id cookie is cleared from the browser. */
  invalidateSessionCookiesAfterAuthorizationFlow: boolean;
  /** Authorization codes live this long, seconds. */
  authorizationCodeLifetime: number;
  /** ID tokens (and signed userinfo) live this long, seconds. */
  idTokenLifetime: number;
  /** A "used" event is recorded at most this often per session, seconds. */
  sessionUsedEventInterval: number;
  /** Session events are kept this long, seconds. */
  auditRetention: number;
  /** Distinct addresses (of live sessions and of sign-ins within ipSpreadWindow) that raise a user's IP-spread alarm; 0: never. */
  ipSpreadThreshold: number;
  /** How far back sign-ins count toward the IP-spread alarm, seconds. */
  ipSpreadWindow: number;
  /** An admin console sign-in lasts this long, seconds. */
  adminSessionLifetime: number;
  /** Receivers of session events. */
  webhooks: Webhook[];
  /** How often the outbox dispatcher looks for due deliveries (logout tokens, security events), ms. */
  outboxPollInterval: number;
  /** First retry of a failed delivery after this long, ms (then doubling, up to outboxRetryMax). */
  outboxRetryBase: number;
  /** Longest wait between two attempts of one delivery, ms. */
  outboxRetryMax: number;
  /** Attempts before a delivery is given up (recorded as failed). */
  outboxAttempts: number;
  /** A claimed delivery is another dispatcher's to retry after this long (its claimer died), ms. */
  outboxLease: number;
  /** Logout tokens are valid this long, seconds. */
  logoutTokenLifetime: number;
  /**
   * A use of a session is written to the store at most this often, seconds (PingAM's "latest
   * access time update frequency"); never more than a quarter of the idle lifetime.
   */
  latestAccessTimeUpdateFrequency: number;
  /** Realms by path ("/" is root, "/alpha" a sub-realm) and their session-property rules. */
  realms: Record<string, RealmConfig>;
  /** Where sessions may be cached (Janssen's property): NATIVE_PERSISTENCE is the store alone. */
  cacheProviderType: CacheProviderType;
  /** With REDIS: live sessions live in Redis, not in the database (Janssen's meaning). */
  sessionIdPersistInCache: boolean;
  /** Janssen's redisConfiguration, read when cacheProviderType is REDIS. */
  redisConfiguration: RedisConfiguration;
}

export const CACHE_PROVIDER_TYPES = ["NATIVE_PERSISTENCE", "IN_MEMORY", "REDIS"] as const;
export type CacheProviderType = (typeof CACHE_PROVIDER_TYPES)[number];

/** A realm's session properties (PingAM's Session Property Whitelist Service). */
export interface RealmConfig {
  /** Properties admins may read and set through the session-properties actions. */
  sessionPropertyWhitelist: string[];
  /** Properties getSessionInfo returns ("Session Properties to return for session queries"). */
  sessionQueryProperties: string[];
}

export const DEFAULT_CONFIG: ServerConfig = {
  sessionIdLifetime: 86_400,
  sessionIdUnusedLifetime: 3_600,
  sessionIdUnauthenticatedUnusedLifetime: 120,
  sessionIdCookieLifetime: 86_400,
  changeSessionIdOnAuthentication: true,
  maxSessionsPerUser: 10,
  maxUnauthenticatedSessionsPerAddress: 50,
  maxUnauthenticatedSessions: 100_000,
  loginAttemptsPerAddressPerMinute: 60,
  maxRequestBodyBytes: 65_536,
  maxAttributeLength: 256,
  maxSearchLimit: 200,
  lockoutThreshold: 10,
  lockoutDuration: 900,
  accessTokenLifetime: 300,
  sweepInterval: 60,
  passwordHashCost: 16_384,
  deviceCodeLifetime: 600,
  deviceCodeInterval: 5,
  refreshTokenLifetime: 2_592_000,
  shutdownGracePeriod: 10,
  sessionIdRequestParameterEnabled: false,
  invalidateSessionCookiesAfterAuthorizationFlow: false,
  authorizationCodeLifetime: 60,
  idTokenLifetime: 3_600,
  sessionUsedEventInterval: 60,
  auditRetention: 7_776_000,
  ipSpreadThreshold: 4,
  ipSpreadWindow: 3600,
  adminSessionLifetime: 3600,
  webhooks: [],
  outboxPollInterval: 1000,
  outboxRetryBase: 1000,
  outboxRetryMax: 300_000,
  outboxAttempts: 12,
  outboxLease: 30_000,
  logoutTokenLifetime: 120,
  latestAccessTimeUpdateFrequency: 60,
  realms: { "/": { sessionPropertyWhitelist: [], sessionQueryProperties: [] } },
  cacheProviderType: "NATIVE_PERSISTENCE",
  sessionIdPersistInCache: false,
  redisConfiguration: {
    redisProviderType: "STANDALONE",
    servers: "127.0.0.1:6379",
    sentinelMasterGroupName: "",
    useSSL: false,
    defaultPutExpiration: 60,
  },
};

/** Keys whose value may be -1 (Janssen's "no limit" / "browser session"). */
const MAY_BE_MINUS_ONE = new Set(["sessionIdCookieLifetime", "sessionIdLifetime"]);
/** Keys that must be at least 1. */
const POSITIVE = new Set([
  "outboxPollInterval",
  "outboxRetryBase",
  "outboxRetryMax",
  "outboxAttempts",
  "outboxLease",
  "logoutTokenLifetime",
  "ipSpreadWindow",
  "adminSessionLifetime",
  "sessionIdUnusedLifetime",
  "sessionIdUnauthenticatedUnusedLifetime",
  "maxRequestBodyBytes",
  "maxAttributeLength",
  "maxSearchLimit",
  "lockoutThreshold",
  "accessTokenLifetime",
  "passwordHashCost",
  "deviceCodeLifetime",
  "refreshTokenLifetime",
  "authorizationCodeLifetime",
  "idTokenLifetime",
]);

const EVENT_TYPES = ["created", "authenticated", "used", "ended", "revoked", "expired"];

function checkWebhooks(value: unknown): Webhook[] {
  if (!Array.isArray(value)) throw new ConfigError(`config key "webhooks" must be an array`);
  return value.map((w, i) => {
    const where = `webhooks[${i}]`;
    if (typeof w !== "object" || w === null) throw new ConfigError(`${where} must be an object`);
    const { url, secret, events, ...rest } = w as Record<string, unknown>;
    if (Object.keys(rest).length)
      throw new ConfigError(`${where} has an unknown key "${Object.keys(rest)[0]}"`);
    if (typeof url !== "string" || !/^https?:\/\//.test(url))
      throw new ConfigError(`${where}.url must be an http(s) URL`);
    if (typeof secret !== "string" || secret.length < 16)
      throw new ConfigError(`${where}.secret must be at least 16 characters`);
    if (
      events !== undefined &&
      (!Array.isArray(events) || events.some((e) => !EVENT_TYPES.includes(e as string)))
    )
      throw new ConfigError(`${where}.events must list event types (${EVENT_TYPES.join(", ")})`);
    return { url, secret, ...(events ? { events: events as Webhook["events"] } : {}) };
  });
}

function checkNames(where: string, value: unknown, internalOk: boolean): string[] {
  if (!Array.isArray(value) || value.some((n) => typeof n !== "string" || !PROPERTY_NAME.test(n)))
    throw new ConfigError(`${where} must list property names (letters, digits, . _ -)`);
  const internal = value.find((n) => INTERNAL_PROPERTIES.has(n));
  if (!internalOk && internal) throw new ConfigError(`${where}: ${internal} is internal and cannot be set`);
  return value as string[];
}

function checkRealms(value: unknown): Record<string, RealmConfig> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ConfigError(`config key "realms" must be an object keyed by realm ("/", "/alpha")`);
  const out: Record<string, RealmConfig> = { ...DEFAULT_CONFIG.realms };
  for (const [realm, raw] of Object.entries(value)) {
    if (!REALM_PATH.test(realm) || realm === "/root")
      throw new ConfigError(`realm "${realm}" must be "/" or "/name" (not /root)`);
    const where = `realms["${realm}"]`;
    if (typeof raw !== "object" || raw === null) throw new ConfigError(`${where} must be an object`);
    const {
      sessionPropertyWhitelist = [],
      sessionQueryProperties = [],
      ...rest
    } = raw as Record<string, unknown>;
    if (Object.keys(rest).length)
      throw new ConfigError(`${where} has an unknown key "${Object.keys(rest)[0]}"`);
    out[realm] = {
      sessionPropertyWhitelist: checkNames(
        `${where}.sessionPropertyWhitelist`,
        sessionPropertyWhitelist,
        false,
      ),
      sessionQueryProperties: checkNames(`${where}.sessionQueryProperties`, sessionQueryProperties, true),
    };
  }
  return out;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function checkOneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !allowed.includes(value as T))
    throw new ConfigError(`config key "${key}" must be one of ${allowed.join(", ")}`);
  return value as T;
}

/** One "host:port" of redisConfiguration.servers. */
const REDIS_SERVER = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

function checkServers(value: unknown): string {
  const where = "redisConfiguration.servers";
  if (typeof value !== "string" || value.trim() === "")
    throw new ConfigError(`${where} must be "host:port" or "host:port,host:port"`);
  for (const one of value.split(",").map((s) => s.trim())) {
    const m = REDIS_SERVER.exec(one);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65_535)
      throw new ConfigError(`${where}: "${one}" is not host:port`);
  }
  return value;
}

function checkRedis(value: unknown): RedisConfiguration {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ConfigError('config key "redisConfiguration" must be an object');
  const out = { ...DEFAULT_CONFIG.redisConfiguration };
  for (const [key, v] of Object.entries(value)) {
    const where = `redisConfiguration.${key}`;
    if (key === "password")
      throw new ConfigError(
        `${where} is refused in the config file: give it in $OPCLI_REDIS_PASSWORD or a file named by $OPCLI_REDIS_PASSWORD_FILE`,
      );
    if (key === "redisProviderType") out.redisProviderType = checkOneOf(where, v, REDIS_PROVIDER_TYPES);
    else if (key === "servers") out.servers = checkServers(v);
    else if (key === "sentinelMasterGroupName") {
      if (typeof v !== "string") throw new ConfigError(`${where} must be a string`);
      out.sentinelMasterGroupName = v;
    } else if (key === "useSSL") {
      if (typeof v !== "boolean") throw new ConfigError(`${where} must be true or false`);
      out.useSSL = v;
    } else if (key === "defaultPutExpiration") {
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
        throw new ConfigError(`${where} must be an integer of at least 1 (seconds)`);
      out.defaultPutExpiration = v;
    } else throw new ConfigError(`redisConfiguration has an unknown key "${key}"`);
  }
  if (out.redisProviderType === "SENTINEL" && out.sentinelMasterGroupName === "")
    throw new ConfigError("redisConfiguration.sentinelMasterGroupName is needed with SENTINEL");
  return out;
}

function checkNumber(key: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new ConfigError(`config key "${key}" must be an integer`);
  const min = MAY_BE_MINUS_ONE.has(key) ? -1 : POSITIVE.has(key) ? 1 : 0;
  if (value < min) throw new ConfigError(`config key "${key}" must be at least ${min}`);
  return value;
}

/** Merges a partial config over the defaults, refusing unknown keys and out-of-range values. */
export function resolveConfig(partial: Record<string, unknown> = {}): ServerConfig {
  const out: ServerConfig = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(partial)) {
    if (!Object.hasOwn(DEFAULT_CONFIG, key)) throw new ConfigError(`unknown config key "${key}"`);
    const k = key as keyof ServerConfig;
    if (k === "webhooks") {
      out.webhooks = checkWebhooks(value);
    } else if (k === "realms") {
      out.realms = checkRealms(value);
    } else if (k === "cacheProviderType") {
      out.cacheProviderType = checkOneOf(key, value, CACHE_PROVIDER_TYPES);
    } else if (k === "redisConfiguration") {
      out.redisConfiguration = checkRedis(value);
    } else if (typeof DEFAULT_CONFIG[k] === "boolean") {
      if (typeof value !== "boolean") throw new ConfigError(`config key "${key}" must be true or false`);
      (out as unknown as Record<string, unknown>)[key] = value;
    } else {
      (out as unknown as Record<string, unknown>)[key] = checkNumber(key, value);
    }
  }
  // IN_MEMORY has no session store of its own here (one instance keeps them in its database).
  if (out.sessionIdPersistInCache && out.cacheProviderType !== "REDIS")
    throw new ConfigError('sessionIdPersistInCache needs cacheProviderType "REDIS"');
  if (!Number.isInteger(Math.log2(out.passwordHashCost))) {
    throw new ConfigError("passwordHashCost must be a power of two");
  }
  return out;
}

export function loadConfigFile(path: string): ServerConfig {
  return resolveConfig(readConfigObject(path));
}

/** The config file's JSON object, unchecked (the CLI takes its "store" key out before resolving). */
export function readConfigObject(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`cannot read config ${path}: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config ${path} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
