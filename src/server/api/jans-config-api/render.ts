import { createHash } from "node:crypto";
import type { components } from "../../../generated/opcli-api.js";
import { isoDate } from "../../core/dates.js";
import { FOREVER } from "../../core/sessions.js";
import type { SessionPage, SessionRecord } from "../../store/types.js";

type SessionJson = components["schemas"]["Session"];
type PageJson = components["schemas"]["SessionPagedResult"];

/** An opaque value derived from the session (never reversible to its cookie). */
function derived(s: SessionRecord, purpose: string): string {
  return createHash("sha256").update(`${purpose}:${s.id}:${s.cookieHash}`).digest("hex");
}

/**
 * A session in the config-api shape: ours, plus the fields of Janssen's SessionId that Janssen's
 * own tools read (`id` is the record's identifier, never the cookie; `outsideSid` and
 * `sessionAttributes.sid` the sid; `deletable`; `ttl`, seconds left). Absent values are omitted,
 * as Janssen's schema has no nulls.
 */
export function renderSession(s: SessionRecord, now: number): SessionJson {
  const browserState = derived(s, "opbs").slice(0, 32);
  return {
    dn: `jansId=${s.id},ou=sessions,o=jans`,
    id: s.id,
    sid: s.sid,
    outsideSid: s.sid,
    ...(s.userDn !== null ? { userDn: s.userDn } : {}),
    state: s.state,
    sessionState: `${derived(s, "session_state")}.${browserState}`,
    creationDate: isoDate(s.createdAt),
    lastUsedAt: isoDate(s.lastUsedAt),
    ...(s.authTime !== null ? { authenticationTime: isoDate(s.authTime) } : {}),
    expirationDate: isoDate(s.expiresAt),
    ...(s.absoluteExpiresAt < FOREVER ? { absoluteExpirationDate: isoDate(s.absoluteExpiresAt) } : {}),
    permissionGranted: s.permissionGranted,
    permissionGrantedMap: {
      permissionGranted: Object.fromEntries(Object.keys(s.grants).map((c) => [c, true])),
    },
    sessionAttributes: {
      ...s.attributes,
      ...Object.fromEntries(Object.entries(s.grants).map(([c, scopes]) => [`${c}_authz_scopes`, scopes])),
      sid: s.sid,
    },
    deletable: true,
    ttl: Math.max(0, Math.floor((s.expiresAt - now) / 1000)),
    opbrowserState: browserState,
  };
}

export function renderPage(start: number, page: SessionPage, now: number): PageJson {
  return {
    start,
    totalEntriesCount: page.total,
    entriesCount: page.entries.length,
    entries: page.entries.map((s) => renderSession(s, now)),
  };
}
