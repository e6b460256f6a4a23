import { type SessionState, userIdOfDn } from "./query.js";
import { bool, flag, json, num, optNum, optStr, str, table, words } from "./table.js";
import type {
  AlarmRecord,
  AuthorizationCodeRecord,
  ClientRecord,
  DeviceCodeRecord,
  RefreshTokenRecord,
  SessionEvent,
  SessionRecord,
  SigningKeyRecord,
  UserRecord,
  UserSessionSummary,
} from "./types.js";

// Every SQL table's row mapping, the same for every backend. Sessions are mapped by hand: theirs
// is the hot read, and searchable attributes get columns of their own.

export interface SessionRow {
  sid: string;
  cookie_hash: string;
  user_dn: string | null;
  state: SessionState;
  created_at: number;
  last_used_at: number;
  auth_time: number | null;
  absolute_expires_at: number;
  expires_at: number;
  permission_granted: number | boolean;
  attrs: string;
  secure: number | boolean;
  record_id: string;
  grants: string;
  handle: string;
  realm: string;
  props: string;
}

export const SESSION_COLUMNS =
  "sid, cookie_hash, user_dn, state, created_at, last_used_at, auth_time, absolute_expires_at, expires_at, permission_granted, attrs, secure, record_id, grants, handle, realm, props";

export function sessionFromRow(r: SessionRow): SessionRecord {
  return {
    id: r.record_id,
    sid: r.sid,
    cookieHash: r.cookie_hash,
    userDn: r.user_dn,
    state: r.state,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    authTime: r.auth_time,
    absoluteExpiresAt: r.absolute_expires_at,
    expiresAt: r.expires_at,
    permissionGranted: flag(r.permission_granted),
    attributes: JSON.parse(r.attrs) as Record<string, string>,
    secure: flag(r.secure),
    grants: JSON.parse(r.grants) as Record<string, string>,
    handle: r.handle,
    realm: r.realm,
    properties: JSON.parse(r.props) as Record<string, string>,
  };
}

/** Named parameters for inserts and updates; searchable attributes get columns of their own. */
export function sessionToRow(s: SessionRecord): Record<string, unknown> {
  return {
    sid: s.sid,
    cookie_hash: s.cookieHash,
    user_dn: s.userDn,
    state: s.state,
    created_at: s.createdAt,
    last_used_at: s.lastUsedAt,
    auth_time: s.authTime,
    absolute_expires_at: s.absoluteExpiresAt,
    expires_at: s.expiresAt,
    permission_granted: s.permissionGranted ? 1 : 0,
    auth_user: s.attributes.auth_user ?? null,
    client_id: s.attributes.client_id ?? null,
    acr: s.attributes.acr ?? null,
    remote_ip: s.attributes.remote_ip ?? null,
    user_agent: s.attributes.user_agent ?? null,
    attrs: JSON.stringify(s.attributes),
    secure: s.secure ? 1 : 0,
    record_id: s.id,
    grants: JSON.stringify(s.grants),
    handle: s.handle,
    realm: s.realm,
    props: JSON.stringify(s.properties),
    user_id: userIdOfDn(s.userDn),
  };
}

const userDn = optStr("user_dn");

export const USERS = table<UserRecord>("users", {
  dn: str("dn"),
  username: str("username"),
  passwordHash: str("password_hash"),
  disabled: bool("disabled"),
  passwordChangedAt: num("password_changed_at"),
  roles: words("roles"),
  email: optStr("email"),
  realm: str("realm"),
});

export const CLIENTS = table<ClientRecord>("clients", {
  clientId: str("client_id"),
  secretHash: str("secret_hash"),
  scopes: words("scopes"),
  name: str("name"),
  createdAt: num("created_at"),
  type: str("type"),
  redirectUris: json("redirect_uris", "[]"),
  postLogoutRedirectUris: json("post_logout_redirect_uris", "[]"),
  userinfoJwt: bool("userinfo_jwt"),
  backchannelLogoutUri: optStr("backchannel_logout_uri"),
  backchannelLogoutSessionRequired: bool("backchannel_logout_session_required"),
});

export const DEVICE_CODES = table<DeviceCodeRecord>("device_codes", {
  deviceCodeHash: str("device_code_hash"),
  userCode: str("user_code"),
  clientId: str("client_id"),
  scopes: words("scopes"),
  expiresAt: num("expires_at"),
  intervalSeconds: num("interval_s"),
  status: str("status"),
  userDn,
  lastPollAt: num("last_poll_at"),
});

export const SIGNING_KEYS = table<SigningKeyRecord>("signing_keys", {
  kid: str("kid"),
  privateJwk: str("private_jwk"),
  publicJwk: str("public_jwk"),
  createdAt: num("created_at"),
});

export const AUTHORIZATION_CODES = table<AuthorizationCodeRecord>("authorization_codes", {
  codeHash: str("code_hash"),
  clientId: str("client_id"),
  redirectUri: str("redirect_uri"),
  sid: str("sid"),
  userDn: str("user_dn"),
  scopes: words("scopes"),
  nonce: optStr("nonce"),
  codeChallenge: optStr("code_challenge"),
  authTime: num("auth_time"),
  acr: str("acr"),
  expiresAt: num("expires_at"),
});

export const SESSION_EVENTS = table<SessionEvent, "id">(
  "session_events",
  {
    id: num("id"),
    at: num("at"),
    type: str("type"),
    sid: optStr("sid"),
    userDn,
    username: optStr("username"),
    clientId: optStr("client_id"),
    actorType: str("actor_type"),
    actor: optStr("actor"),
    remoteIp: optStr("remote_ip"),
    detail: json("detail"),
  },
  ["id"],
);

export const REFRESH_TOKENS = table<RefreshTokenRecord>("refresh_tokens", {
  tokenHash: str("token_hash"),
  clientId: str("client_id"),
  subject: str("subject"),
  scopes: words("scopes"),
  expiresAt: num("expires_at"),
  sid: optStr("sid"),
  offline: bool("offline"),
  family: str("family_id"),
});

export const ALARMS = table<AlarmRecord, "id" | "acknowledgedAt" | "acknowledgedBy">(
  "alarms",
  {
    id: num("id"),
    kind: str("kind"),
    userDn: str("user_dn"),
    username: optStr("username"),
    raisedAt: num("raised_at"),
    detail: json("detail"),
    acknowledgedAt: optNum("acknowledged_at"),
    acknowledgedBy: optStr("acknowledged_by"),
  },
  ["id", "acknowledgedAt", "acknowledgedBy"],
);

/** A live-sessions summary row; addresses come as an array (PostgreSQL) or a JSON array (SQLite). */
export function summaryFromRow(r: Record<string, unknown>): UserSessionSummary {
  const raw =
    typeof r.addresses === "string" ? (JSON.parse(r.addresses) as unknown[]) : (r.addresses as unknown[]);
  return {
    userDn: String(r.user_dn),
    count: Number(r.n),
    addresses: (raw ?? []).filter((a): a is string => typeof a === "string").sort(),
    lastUsedAt: Number(r.last_used_at),
  };
}

/** What a pattern search looks in: the same text SQLite's trigram table indexes (PostgreSQL's search_text column, Redis's match), lower-cased. */
export function searchText(userDn: string | null, sid: string, attributes: Record<string, string>): string {
  return `${userDn ?? ""} ${sid} ${Object.values(attributes).join(" ")}`.toLowerCase();
}
