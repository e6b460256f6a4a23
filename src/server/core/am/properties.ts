import type { SessionRecord } from "../../store/types.js";
import type { RealmConfig, ServerConfig } from "../config.js";
import { fail, ok, type Result } from "../errors.js";
import { INTERNAL_PROPERTIES, ROOT_REALM, universalId } from "../realms.js";

// Session properties as PingAM exposes them: the server's own (read-only) and those a realm's
// whitelist lets admins read and set.

/** The rules of a realm; a realm without its own entry has none beyond the internal properties. */
export function realmRules(config: ServerConfig, realm: string): RealmConfig {
  return config.realms[realm] ?? { sessionPropertyWhitelist: [], sessionQueryProperties: [] };
}

/** Properties the server keeps for every session (read-only). */
export function internalProperties(s: SessionRecord, userId: string): Record<string, string> {
  const uid = universalId(userId, s.realm);
  return {
    AMCtxId: s.id,
    AuthType: s.attributes.acr ?? "",
    AuthLevel: "0",
    UserId: s.attributes.auth_user ?? "",
    Host: s.attributes.remote_ip ?? "",
    Principal: uid,
    "sun.am.UniversalIdentifier": uid,
    Organization: s.realm === ROOT_REALM ? "root" : s.realm.slice(1),
  };
}

/** The properties getSessionInfo shows: those the realm lists for session queries. */
export function shownProperties(
  config: ServerConfig,
  s: SessionRecord,
  userId: string,
): Record<string, string> {
  const all = { ...s.properties, ...internalProperties(s, userId) };
  const out: Record<string, string> = {};
  for (const name of realmRules(config, s.realm).sessionQueryProperties) out[name] = all[name] ?? "";
  return out;
}

/** getSessionProperties: every whitelisted name, with "" for one not set. */
export function whitelistedProperties(config: ServerConfig, s: SessionRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of realmRules(config, s.realm).sessionPropertyWhitelist)
    out[name] = s.properties[name] ?? "";
  return out;
}

/** Checks an update: string values of whitelisted, non-internal names, no longer than the limit. */
export function checkPropertyUpdate(
  config: ServerConfig,
  s: SessionRecord,
  changes: Record<string, unknown>,
): Result<Record<string, string>> {
  const allowed = new Set(realmRules(config, s.realm).sessionPropertyWhitelist);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(changes)) {
    // The same answer for internal and unlisted names, as PingAM gives.
    if (INTERNAL_PROPERTIES.has(name) || !allowed.has(name)) return fail("forbidden", "Forbidden");
    if (typeof value !== "string") return fail("invalid", `property ${name} must be a string`);
    if (value.length > config.maxAttributeLength)
      return fail("invalid", `property ${name} is longer than ${config.maxAttributeLength} characters`);
    out[name] = value;
  }
  return ok(out);
}
