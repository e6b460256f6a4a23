import { createHash } from "node:crypto";
import { shownProperties } from "../../core/am/properties.js";
import type { AmQueryPage, SessionTimes } from "../../core/am/service.js";
import type { ServerConfig } from "../../core/config.js";
import { universalId } from "../../core/realms.js";
import { userIdOfDn } from "../../store/query.js";
import type { SessionRecord } from "../../store/types.js";

// Sessions in PingAM's JSON shapes, field for field as the seed shows them.

/** Whole seconds, as PingAM prints expiry times ("2024-01-12T14:19:25Z"). */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** An expiry that never comes (sessionIdLifetime -1) is printed at the last representable date. */
function expiry(ms: number): string {
  return isoSeconds(Math.min(ms, 8_640_000_000_000_000));
}

function userIdOf(s: SessionRecord): string {
  return userIdOfDn(s.userDn) ?? "";
}

/** The fields getSessionInfo and a query share. */
function common(s: SessionRecord) {
  const userId = userIdOf(s);
  return {
    username: userId,
    universalId: universalId(userId, s.realm),
    realm: s.realm,
  };
}

function times(s: SessionRecord, idleMs: number) {
  return {
    maxIdleExpirationTime: expiry(s.lastUsedAt + idleMs),
    maxSessionExpirationTime: expiry(s.absoluteExpiresAt),
  };
}

export function sessionInfo(s: SessionRecord, idleMs: number, config: ServerConfig) {
  return {
    ...common(s),
    latestAccessTime: isoSeconds(s.lastUsedAt),
    ...times(s, idleMs),
    properties: shownProperties(config, s, userIdOf(s)),
  };
}

export function validation(s: SessionRecord | undefined) {
  if (!s) return { valid: false };
  return { valid: true, sessionUid: s.id, uid: userIdOf(s), realm: s.realm };
}

export function refreshed(s: SessionRecord, t: SessionTimes) {
  return { uid: userIdOf(s), realm: s.realm, ...t };
}

/** A revision that changes whenever the session does (use, properties). */
function revision(s: SessionRecord): string {
  const h = createHash("sha256")
    .update(`${s.sid}\n${s.lastUsedAt}\n${JSON.stringify(s.properties)}`)
    .digest();
  return String(h.readUInt32BE(0));
}

export function queryEntry(s: SessionRecord, idleMs: number) {
  return {
    _rev: revision(s),
    ...common(s),
    sessionHandle: s.handle,
    latestAccessTime: new Date(s.lastUsedAt).toISOString(),
    ...times(s, idleMs),
  };
}

/** Keeps only the requested top-level fields (CREST's `_fields`). */
function pickFields(entry: Record<string, unknown>, fields: string[] | undefined) {
  if (!fields) return entry;
  return Object.fromEntries(Object.entries(entry).filter(([k]) => fields.includes(k)));
}

export function queryResult(page: AmQueryPage, idleMs: number, fields: string[] | undefined, policy: string) {
  const result = page.entries.map((s) => pickFields(queryEntry(s, idleMs), fields));
  return {
    result,
    resultCount: result.length,
    pagedResultsCookie: page.cookie,
    totalPagedResultsPolicy: policy,
    totalPagedResults: page.total,
    remainingPagedResults: -1,
  };
}
