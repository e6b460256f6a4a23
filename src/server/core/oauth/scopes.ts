// Scopes of the admin API, as the spec's security requirements declare them (a test checks
// this table against spec/opcli.yaml so the two cannot drift apart).

export const SCOPE = {
  sessionRead: "https://jans.io/oauth/jans-auth-server/session.readonly",
  sessionDelete: "https://jans.io/oauth/jans-auth-server/session.delete",
  sessionAdmin: "https://jans.io/oauth/jans-auth-server/session.admin",
  readAll: "https://jans.io/oauth/config/read-all",
  writeAll: "https://jans.io/oauth/config/write-all",
  deleteAll: "https://jans.io/oauth/config/delete-all",
  revokeSession: "revoke_session",
  acrsRead: "https://jans.io/oauth/config/acrs.readonly",
  /** PingAM's: every AM endpoint (the seed's service-account scope). */
  amAll: "fr:am:*",
  /** Ours, narrower: the PingAM face's session query, info and validate without reset. */
  amSessionsRead: "fr:am:sessions:read",
} as const;

/** OpenID Connect scopes, and Janssen's global token revocation scope. */
export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;
export const GLOBAL_TOKEN_REVOCATION = "global_token_revocation";
/** A Shared Signals receiver's: manage its own streams and poll them. */
export const SSF_STREAM_SCOPE = "ssf.stream";

/** Alternatives: a token passes if it holds every scope of any one of them. */
export type ScopeRequirement = readonly (readonly string[])[];

export const READ_SESSIONS: ScopeRequirement = [
  [SCOPE.sessionRead],
  [SCOPE.sessionAdmin],
  [SCOPE.readAll],
  [SCOPE.writeAll],
];

export const DELETE_SESSIONS: ScopeRequirement = [
  [SCOPE.sessionDelete, SCOPE.revokeSession],
  [SCOPE.sessionAdmin],
  [SCOPE.deleteAll],
];

/** The PingAM face: everything with fr:am:*, reading with the narrower scope too. */
export const AM_SESSIONS_READ: ScopeRequirement = [[SCOPE.amSessionsRead], [SCOPE.amAll]];
export const AM_SESSIONS_WRITE: ScopeRequirement = [[SCOPE.amAll]];

/** The admin console's API (seed 003): reading with any read scope, changing with write-all or session.admin. */
export const ADMIN_READ: ScopeRequirement = [[SCOPE.readAll], [SCOPE.writeAll], [SCOPE.sessionAdmin]];
export const ADMIN_WRITE: ScopeRequirement = [[SCOPE.writeAll], [SCOPE.sessionAdmin]];

export const READ_ACRS: ScopeRequirement = [[SCOPE.acrsRead], [SCOPE.readAll], [SCOPE.writeAll]];

export const OPERATION_SCOPES: Readonly<Record<string, ScopeRequirement>> = {
  "get-acrs": READ_ACRS,
  "get-sessions": READ_SESSIONS,
  "search-session": READ_SESSIONS,
  "get-session-by-id": READ_SESSIONS,
  "delete-session": DELETE_SESSIONS,
  "revoke-user-session": DELETE_SESSIONS,
};

/**
 * Janssen's config-api operations its CLI and TUI call at start-up, with the security Janssen's
 * document declares for each (test/server/janssen-document.test.ts holds them to it). The health
 * checks, live, ready and server-stat declare none. read-all passes every one.
 */
export const STARTUP_OPERATION_SCOPES: Readonly<Record<string, ScopeRequirement>> = {
  "get-app-version": [
    ["https://jans.io/oauth/config/app-version.readonly"],
    ["https://jans.io/oauth/config/health.admin"],
    [SCOPE.readAll],
  ],
  "get-service-status": [
    ["https://jans.io/oauth/config/data.readonly"],
    ["https://jans.io/oauth/config/health.admin"],
    [SCOPE.readAll],
  ],
  "get-properties-persistence": [
    ["https://jans.io/oauth/jans-auth-server/config/properties.readonly"],
    ["https://jans.io/oauth/jans-auth-server/config/properties.write"],
    ["https://jans.io/oauth/jans-auth-server/config/properties.admin"],
    [SCOPE.readAll],
    [SCOPE.writeAll],
  ],
  "get-plugins": [
    ["https://jans.io/oauth/config/plugin.readonly"],
    ["https://jans.io/oauth/config/plugin.admin"],
    [SCOPE.readAll],
    [SCOPE.writeAll],
  ],
  "get-plugin-by-name": [
    ["https://jans.io/oauth/config/plugin.readonly"],
    ["https://jans.io/oauth/config/plugin.admin"],
    [SCOPE.readAll],
    [SCOPE.writeAll],
  ],
  "get-attributes": [
    ["https://jans.io/oauth/config/attributes.readonly"],
    ["https://jans.io/oauth/config/attributes.write"],
    ["https://jans.io/oauth/config/attributes.admin"],
    [SCOPE.readAll],
    [SCOPE.writeAll],
  ],
};

/** The admin API's scopes (what the admin role grants). */
export const ALL_SCOPES: readonly string[] = Object.values(SCOPE);

/** Every scope a client may be registered with. */
export const KNOWN_SCOPES: readonly string[] = [
  ...ALL_SCOPES,
  ...OIDC_SCOPES,
  GLOBAL_TOKEN_REVOCATION,
  SSF_STREAM_SCOPE,
];

/**
 * Scopes each user role grants through a ujwt client-credentials grant (Janssen's admin UI roles).
 * Janssen's setup has given its admin `admin` since November 2025 (role-scope-mappings.json,
 * people.ldif) and dropped its other default roles; `api-viewer` is ours, kept from the old set.
 */
export const ROLE_SCOPES: Readonly<Record<string, readonly string[]>> = {
  admin: ALL_SCOPES,
  "api-viewer": [SCOPE.sessionRead, SCOPE.readAll, SCOPE.acrsRead, SCOPE.amSessionsRead],
};

/** Old role names and the current role each stands for (Janssen's upgrade renames api-admin to admin). */
export const ROLE_ALIASES: Readonly<Record<string, string>> = { "api-admin": "admin" };

/** Every role name a user may be given: the current ones, then their old aliases. */
export const KNOWN_ROLES: readonly string[] = [...Object.keys(ROLE_SCOPES), ...Object.keys(ROLE_ALIASES)];

/** The current name of a role (an alias resolved), or undefined for a role we do not know. */
export function canonicalRole(role: string): string | undefined {
  const name = Object.hasOwn(ROLE_ALIASES, role) ? ROLE_ALIASES[role]! : role;
  return Object.hasOwn(ROLE_SCOPES, name) ? name : undefined;
}

/** Each role under both its names, so that clients reading either the old or the new name pass. */
export function roleNamesOf(roles: readonly string[]): string[] {
  const names = roles.flatMap((r) => {
    const current = canonicalRole(r);
    if (current === undefined) return [r];
    const aliases = Object.keys(ROLE_ALIASES).filter((a) => ROLE_ALIASES[a] === current);
    return [current, ...aliases];
  });
  return [...new Set(names)];
}

/** Every scope a person with these roles may hold; a role not in the table grants nothing. */
export function scopesOfRoles(roles: readonly string[]): Set<string> {
  return new Set(
    roles.flatMap((r) => {
      const current = canonicalRole(r);
      return current === undefined ? [] : (ROLE_SCOPES[current] ?? []);
    }),
  );
}

export function satisfies(granted: ReadonlySet<string>, requirement: ScopeRequirement): boolean {
  return requirement.some((alt) => alt.every((s) => granted.has(s)));
}

/** The PingAM face's operations (spec/pingam-sessions.yaml), by operation ID without the root- prefix. */
export const AM_OPERATION_SCOPES: Readonly<Record<string, ScopeRequirement>> = {
  "query-sessions": AM_SESSIONS_READ,
  "get-session-info": AM_SESSIONS_READ,
  "get-session-info-and-reset-idle-time": AM_SESSIONS_WRITE,
  "validate-session": AM_SESSIONS_READ,
  "refresh-session": AM_SESSIONS_WRITE,
  "logout-session": AM_SESSIONS_WRITE,
  "logout-by-handle": AM_SESSIONS_WRITE,
  "logout-by-user": AM_SESSIONS_WRITE,
  "get-session-properties": AM_SESSIONS_READ,
  "update-session-properties": AM_SESSIONS_WRITE,
};
