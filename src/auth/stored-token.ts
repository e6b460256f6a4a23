import type * as Crypto from "node:crypto";
import { lazyRequire } from "../platform/lazy-require.js";

// Loaded on first use: an operation with a token in hand never hashes (node:crypto costs ~2 ms).
const createHash: typeof Crypto.createHash = (...args) =>
  (lazyRequire("node:crypto") as typeof Crypto).createHash(...args);

export type TokenFlow = "client_credentials" | "device_code";

/** What the cache keeps for one (token endpoint, client id, scopes). */
export interface StoredToken {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms, or null when the server did not say. */
  expiresAt: number | null;
  tokenUrl: string;
  clientId: string;
  scopes: string[];
  flow: TokenFlow;
  obtainedAt: number;
  /** credentialFingerprint of what obtained it (entries from before fingerprints have none). */
  fingerprint?: string;
}

export interface CacheKeyParts {
  tokenUrl: string;
  clientId: string;
  scopes: string[];
  /** Which credentials: a token obtained with another secret is never handed out for these. */
  fingerprint?: string;
}

/**
 * A one-way fingerprint of the credentials (token endpoint, client id, secret): a changed secret
 * misses the cache and is checked by the server. The secret itself is never stored.
 */
export function credentialFingerprint(tokenUrl: string, clientId: string, clientSecret?: string): string {
  return createHash("sha256")
    .update(`opcli credential fingerprint v1\0${tokenUrl}\0${clientId}\0${clientSecret ?? ""}`)
    .digest("hex")
    .slice(0, 32);
}

/** Stable key: scopes are a set, so their order does not matter. */
export function cacheKey(p: CacheKeyParts): string {
  const scopes = [...new Set(p.scopes)].sort().join(" ");
  return createHash("sha256")
    .update(`${p.tokenUrl}\n${p.clientId}\n${scopes}${p.fingerprint ? `\n${p.fingerprint}` : ""}`)
    .digest("hex")
    .slice(0, 32);
}

/** Refresh (or re-fetch) a token this close to its expiry. */
export const EXPIRY_MARGIN_MS = 60_000;

export function isFresh(t: StoredToken, now: number): boolean {
  return t.expiresAt === null || t.expiresAt - EXPIRY_MARGIN_MS > now;
}

/** Whether a cached token can serve a request for these scopes (a superset does). */
export function covers(t: StoredToken, p: CacheKeyParts): boolean {
  if (t.tokenUrl !== p.tokenUrl || t.clientId !== p.clientId) return false;
  if (p.fingerprint !== undefined && t.fingerprint !== p.fingerprint) return false;
  const have = new Set(t.scopes);
  return p.scopes.every((s) => have.has(s));
}
