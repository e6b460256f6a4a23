// Realms (PingAM's): "/" is the root realm, "/alpha" a sub-realm one level below it. A user
// belongs to one realm and their sessions to the same.

export const ROOT_REALM = "/";
export const REALM_PATH = /^\/([A-Za-z0-9_-]{1,64})?$/;
export const PROPERTY_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Properties the server sets itself: never settable, whatever a whitelist says. */
export const INTERNAL_PROPERTIES: ReadonlySet<string> = new Set([
  "AMCtxId",
  "AuthLevel",
  "AuthType",
  "CharSet",
  "clientType",
  "FullLoginURL",
  "Host",
  "HostName",
  "Locale",
  "loginURL",
  "Organization",
  "Principal",
  "Principals",
  "Service",
  "SessionHandle",
  "successURL",
  "sun.am.UniversalIdentifier",
  "UserId",
  "UserProfile",
  "UserToken",
]);

/** The realm path of a sub-realm name, or root for none. */
export function realmPath(name?: string): string {
  return name ? `/${name}` : ROOT_REALM;
}

/** Whether a request made in `scope` may act on something in `realm`: root acts everywhere. */
export function realmCovers(scope: string, realm: string): boolean {
  return scope === ROOT_REALM || scope === realm;
}

/** The name a universal id uses for a realm: o=root for the root realm. */
function realmOrg(realm: string): string {
  return realm === ROOT_REALM ? "root" : realm.slice(1);
}

/** PingAM's universal id of a user (`id=<uuid>,ou=user,o=alpha,ou=services,ou=am-config`). */
export function universalId(userId: string, realm: string): string {
  return `id=${userId},ou=user,o=${realmOrg(realm)},ou=services,ou=am-config`;
}

/** The user id and realm inside a universal id, or undefined when it is not one. */
export function parseUniversalId(uid: string): { userId: string; realm: string } | undefined {
  const m = /^id=([^,]+),ou=user,o=([A-Za-z0-9_-]{1,64}),ou=services,ou=am-config$/.exec(uid);
  if (!m) return undefined;
  return { userId: m[1]!, realm: m[2] === "root" ? ROOT_REALM : `/${m[2]}` };
}
