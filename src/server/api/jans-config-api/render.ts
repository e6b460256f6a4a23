import type { components } from "../../../generated/opcli-api.js";
import { isoDate } from "../../core/dates.js";
import type { SessionPage, SessionRecord } from "../../store/types.js";

type SessionJson = components["schemas"]["Session"];
type PageJson = components["schemas"]["SessionPagedResult"];

export function renderSession(s: SessionRecord): SessionJson {
  return {
    dn: `jansId=${s.sid},ou=sessions,o=jans`,
    sid: s.sid,
    userDn: s.userDn,
    state: s.state,
    creationDate: isoDate(s.createdAt),
    lastUsedAt: isoDate(s.lastUsedAt),
    authenticationTime: s.authTime === null ? null : isoDate(s.authTime),
    expirationDate: isoDate(s.expiresAt),
    permissionGranted: s.permissionGranted,
    sessionAttributes: s.attributes,
  };
}

export function renderPage(start: number, page: SessionPage): PageJson {
  return {
    start,
    totalEntriesCount: page.total,
    entriesCount: page.entries.length,
    entries: page.entries.map(renderSession),
  };
}
