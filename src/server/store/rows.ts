import { type SessionState, userIdOfDn } from "./query.js";
import type {
  AlarmRecord,
  AuthorizationCodeRecord,
  ClientChanges,
  ClientRecord,
  DeviceCodeRecord,
  RefreshTokenRecord,
  SessionEvent,
  SessionEventType,
  SessionRecord,
  SigningKeyRecord,
  UserRecord,
  UserSessionSummary,
} from "./types.js";

// Row <-> record mapping, the same for every SQL backend: JSON in text columns, times as integer
// milliseconds, flags written as 0/1 and read back from 0/1 (SQLite) or booleans (PostgreSQL).

/** A flag column as read back. */
export const flag = (v: unknown): boolean => v === true || Number(v) === 1;
/** A nullable text column. */
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
/** A space-separated list column (scopes, roles). */
const words = (v: unknown): string[] =>
  String(v ?? "")
    .split(" ")
    .filter(Boolean);
/** A JSON text column. */
const json = <T>(v: unknown, empty = "{}"): T => JSON.parse(String(v ?? empty)) as T;

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

export function userFromRow(r: Record<string, unknown>): UserRecord {
  return {
    dn: String(r.dn),
    username: String(r.username),
    passwordHash: String(r.password_hash),
    disabled: flag(r.disabled),
    passwordChangedAt: Number(r.password_changed_at),
    roles: words(r.roles),
    email: text(r.email),
    realm: String(r.realm ?? "/"),
  };
}

export function clientFromRow(r: Record<string, unknown>): ClientRecord {
  return {
    clientId: String(r.client_id),
    secretHash: String(r.secret_hash),
    scopes: words(r.scopes),
    name: String(r.name),
    createdAt: Number(r.created_at),
    type: r.type === "public" ? "public" : "confidential",
    redirectUris: json<string[]>(r.redirect_uris, "[]"),
    postLogoutRedirectUris: json<string[]>(r.post_logout_redirect_uris, "[]"),
    userinfoJwt: flag(r.userinfo_jwt),
    backchannelLogoutUri: text(r.backchannel_logout_uri),
    backchannelLogoutSessionRequired: flag(r.backchannel_logout_session_required),
  };
}

export function deviceFromRow(r: Record<string, unknown>): DeviceCodeRecord {
  return {
    deviceCodeHash: String(r.device_code_hash),
    userCode: String(r.user_code),
    clientId: String(r.client_id),
    scopes: words(r.scopes),
    expiresAt: Number(r.expires_at),
    intervalSeconds: Number(r.interval_s),
    status: r.status as DeviceCodeRecord["status"],
    userDn: text(r.user_dn),
    lastPollAt: Number(r.last_poll_at),
  };
}

export function keyFromRow(r: Record<string, unknown>): SigningKeyRecord {
  return {
    kid: String(r.kid),
    privateJwk: String(r.private_jwk),
    publicJwk: String(r.public_jwk),
    createdAt: Number(r.created_at),
  };
}

export function codeFromRow(r: Record<string, unknown>): AuthorizationCodeRecord {
  return {
    codeHash: String(r.code_hash),
    clientId: String(r.client_id),
    redirectUri: String(r.redirect_uri),
    sid: String(r.sid),
    userDn: String(r.user_dn),
    scopes: words(r.scopes),
    nonce: text(r.nonce),
    codeChallenge: text(r.code_challenge),
    authTime: Number(r.auth_time),
    acr: String(r.acr),
    expiresAt: Number(r.expires_at),
  };
}

export function eventFromRow(r: Record<string, unknown>): SessionEvent {
  return {
    id: Number(r.id),
    at: Number(r.at),
    type: String(r.type) as SessionEventType,
    sid: text(r.sid),
    userDn: text(r.user_dn),
    username: text(r.username),
    clientId: text(r.client_id),
    actorType: String(r.actor_type) as SessionEvent["actorType"],
    actor: text(r.actor),
    remoteIp: text(r.remote_ip),
    detail: json<Record<string, string>>(r.detail),
  };
}

export function refreshFromRow(r: Record<string, unknown>): RefreshTokenRecord {
  return {
    tokenHash: String(r.token_hash),
    clientId: String(r.client_id),
    subject: String(r.subject),
    scopes: words(r.scopes),
    expiresAt: Number(r.expires_at),
    sid: text(r.sid),
    offline: flag(r.offline),
    family: String(r.family_id),
  };
}

export function alarmFromRow(r: Record<string, unknown>): AlarmRecord {
  return {
    id: Number(r.id),
    kind: String(r.kind) as AlarmRecord["kind"],
    userDn: String(r.user_dn),
    username: text(r.username),
    raisedAt: Number(r.raised_at),
    detail: json<Record<string, string>>(r.detail),
    acknowledgedAt:
      r.acknowledged_at === null || r.acknowledged_at === undefined ? null : Number(r.acknowledged_at),
    acknowledgedBy: text(r.acknowledged_by),
  };
}

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

/** A record's insert, the same for every SQL backend: its table, columns and values in order. */
export interface RowInsert {
  table: string;
  columns: readonly string[];
  values: unknown[];
}

const insertOf = (table: string, row: Record<string, unknown>): RowInsert => ({
  table,
  columns: Object.keys(row),
  values: Object.values(row),
});

/** The INSERT statement of a row, with `?` placeholders (PostgreSQL renumbers them). */
export const insertSql = (i: RowInsert) =>
  `INSERT INTO ${i.table} (${i.columns.join(", ")}) VALUES (${i.columns.map(() => "?").join(", ")})`;

export const userInsert = (u: UserRecord) =>
  insertOf("users", {
    dn: u.dn,
    username: u.username,
    password_hash: u.passwordHash,
    disabled: u.disabled ? 1 : 0,
    password_changed_at: u.passwordChangedAt,
    roles: u.roles.join(" "),
    email: u.email,
    realm: u.realm,
  });

export const clientInsert = (c: ClientRecord) =>
  insertOf("clients", {
    client_id: c.clientId,
    secret_hash: c.secretHash,
    scopes: c.scopes.join(" "),
    name: c.name,
    created_at: c.createdAt,
    type: c.type,
    redirect_uris: JSON.stringify(c.redirectUris),
    post_logout_redirect_uris: JSON.stringify(c.postLogoutRedirectUris),
    userinfo_jwt: c.userinfoJwt ? 1 : 0,
    backchannel_logout_uri: c.backchannelLogoutUri,
    backchannel_logout_session_required: c.backchannelLogoutSessionRequired ? 1 : 0,
  });

/** The columns an update of a client sets, with their values (booleans as 0/1, like inserts). */
export function clientSets(c: ClientChanges): [string, unknown][] {
  const sets: [string, unknown][] = [];
  if (c.backchannelLogoutUri !== undefined) sets.push(["backchannel_logout_uri", c.backchannelLogoutUri]);
  if (c.backchannelLogoutSessionRequired !== undefined)
    sets.push(["backchannel_logout_session_required", c.backchannelLogoutSessionRequired ? 1 : 0]);
  if (c.redirectUris !== undefined) sets.push(["redirect_uris", JSON.stringify(c.redirectUris)]);
  if (c.postLogoutRedirectUris !== undefined)
    sets.push(["post_logout_redirect_uris", JSON.stringify(c.postLogoutRedirectUris)]);
  return sets;
}

export const codeInsert = (c: AuthorizationCodeRecord) =>
  insertOf("authorization_codes", {
    code_hash: c.codeHash,
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    sid: c.sid,
    user_dn: c.userDn,
    scopes: c.scopes.join(" "),
    nonce: c.nonce,
    code_challenge: c.codeChallenge,
    auth_time: c.authTime,
    acr: c.acr,
    expires_at: c.expiresAt,
  });

export const deviceInsert = (r: DeviceCodeRecord) =>
  insertOf("device_codes", {
    device_code_hash: r.deviceCodeHash,
    user_code: r.userCode,
    client_id: r.clientId,
    scopes: r.scopes.join(" "),
    expires_at: r.expiresAt,
    interval_s: r.intervalSeconds,
    status: r.status,
    user_dn: r.userDn,
    last_poll_at: r.lastPollAt,
  });

export const refreshInsert = (r: RefreshTokenRecord) =>
  insertOf("refresh_tokens", {
    token_hash: r.tokenHash,
    client_id: r.clientId,
    subject: r.subject,
    scopes: r.scopes.join(" "),
    expires_at: r.expiresAt,
    sid: r.sid,
    offline: r.offline ? 1 : 0,
    family_id: r.family,
  });

export const eventInsert = (e: Omit<SessionEvent, "id">) =>
  insertOf("session_events", {
    at: e.at,
    type: e.type,
    sid: e.sid,
    user_dn: e.userDn,
    username: e.username,
    client_id: e.clientId,
    actor_type: e.actorType,
    actor: e.actor,
    remote_ip: e.remoteIp,
    detail: JSON.stringify(e.detail),
  });

/** What a pattern search looks in: the same text SQLite's trigram table indexes (PostgreSQL's search_text column, Redis's match), lower-cased. */
export function searchText(userDn: string | null, sid: string, attributes: Record<string, string>): string {
  return `${userDn ?? ""} ${sid} ${Object.values(attributes).join(" ")}`.toLowerCase();
}
