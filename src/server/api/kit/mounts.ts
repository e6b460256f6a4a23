// Where each face is mounted: the one place these paths are written.

/** Janssen's auth server: OAuth, OpenID, the browser sign-in and the account pages. */
export const JANS_AUTH = "/jans-auth";
/** Janssen's config API root; the session operations live under CONFIG_API_SESSIONS. */
export const CONFIG_API = "/jans-config-api/api/v1";
/** The auth server's configuration under the config API. */
export const JANS_AUTH_SERVER = "/jans-auth-server";
export const CONFIG_API_SESSIONS = `${CONFIG_API}${JANS_AUTH_SERVER}/session`;
/** PingAM's root; under it its JSON (CREST) endpoints and its token endpoints. */
export const AM = "/am";
export const AM_JSON = `${AM}/json`;
export const AM_OAUTH = `${AM}/oauth2`;
/** The admin console's JSON API and its pages. */
export const ADMIN_API = "/api/admin";
export const ADMIN_PAGES = "/admin";
/** The Shared Signals transmitter. */
export const SSF = "/ssf";

/** Janssen's REST paths under JANS_AUTH. */
export const RESTV1 = `${JANS_AUTH}/restv1`;
