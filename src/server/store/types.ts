import type { ExprField, Filter, SessionCursor, SessionExpr, SessionState, SortField } from "./query.js";

// What the server persists, split by aggregate. Every method is asynchronous so that any
// backend (SQLite in process, PostgreSQL over a pool) can implement it; the contract suite in
// test/server/store/ is what every backend must pass.

export interface SessionRecord {
  /** The record's own identifier (Janssen's `id`): never the cookie. */
  id: string;
  sid: string;
  /** SHA-256 of the session_id cookie; the cookie itself is never stored. */
  cookieHash: string;
  userDn: string | null;
  state: SessionState;
  createdAt: number;
  lastUsedAt: number;
  authTime: number | null;
  absoluteExpiresAt: number;
  /** The earlier of the absolute and the idle limit; a session is live while now < expiresAt. */
  expiresAt: number;
  permissionGranted: boolean;
  attributes: Record<string, string>;
  /** Created over TLS: never accepted over plain HTTP. */
  secure: boolean;
  /** Clients this session issued codes to, and the scopes each was granted. */
  grants: Record<string, string>;
  /** An admin's name for the session (`shandle:...`): identifies it without being usable as its token. */
  handle: string;
  /** The realm its user belongs to: "/" (root) or "/alpha". */
  realm: string;
  /** Properties set through the session-properties API (whitelisted names only). */
  properties: Record<string, string>;
}

export interface SessionQuery {
  now: number;
  filters: Filter[];
  /** A boolean expression over the neutral fields (the PingAM face's _queryFilter). */
  expr?: SessionExpr;
  /** The idle lifetime that idleExpiresAt adds to lastUsedAt, ms (needed when expr or sort use it). */
  idleMs?: number;
  pattern: string;
  sortBy: SortField | ExprField;
  descending: boolean;
  offset: number;
  limit: number;
  /** Keyset paging: only sessions after this one in the sort order (the sort field must be non-null). */
  after?: SessionCursor;
  /** Count every match (default); false leaves total at -1 and skips the count. */
  countTotal?: boolean;
}

export interface SessionPage {
  /** Every match, or -1 when not counted. */
  total: number;
  entries: SessionRecord[];
}

/** Caps checked atomically with the write that would exceed them; 0 disables one. */
export interface SessionCap {
  /** Live authenticated sessions per user. */
  max: number;
  now: number;
  /** Live unauthenticated sessions per remote address. */
  anonymousPerAddress?: number;
  /** Live unauthenticated sessions in all. */
  anonymousTotal?: number;
}

/** ok; limit: the user's cap; busy: the unauthenticated caps; gone: no such live session. */
export type CapResult = "ok" | "limit" | "busy" | "gone";

export interface SessionStore {
  /** Inserts a session; an authenticated one only while its user is under the cap. */
  insert(rec: SessionRecord, cap?: SessionCap): Promise<CapResult>;
  /** Bulk import without a cap (seeding, benchmarks, migrations between backends). */
  insertMany(recs: SessionRecord[]): Promise<void>;
  /** Upgrades a live unauthenticated session in place, under the cap. */
  authenticate(sid: string, update: Partial<SessionRecord>, cap: SessionCap): Promise<CapResult>;
  /**
   * Replaces a session by a new one in one transaction (a new sid and cookie on authentication):
   * the new one is inserted under the cap, then the old one (if any) deleted, and (with `replacing`)
   * its `sid:` revocation, its refresh tokens gone and the deliveries it owes, in the same transaction.
   */
  rotate(
    oldSid: string | null,
    rec: SessionRecord,
    cap: SessionCap,
    replacing?: SessionReplacing,
  ): Promise<CapResult>;
  getLive(sid: string, now: number): Promise<SessionRecord | undefined>;
  getLiveByCookie(cookieHash: string, now: number): Promise<SessionRecord | undefined>;
  getLiveByHandle(handle: string, now: number): Promise<SessionRecord | undefined>;
  /**
   * Records a use: moves lastUsedAt and the idle deadline, only if the stored lastUsedAt is at or
   * before `usedBefore` when given (at most one write per interval, across processes). True if written.
   */
  touch(sid: string, lastUsedAt: number, expiresAt: number, usedBefore?: number): Promise<boolean>;
  /** Merges properties into a live session; returns it as updated, or undefined when gone. */
  setProperties(
    sid: string,
    properties: Record<string, string>,
    now: number,
  ): Promise<SessionRecord | undefined>;
  search(q: SessionQuery): Promise<SessionPage>;
  /**
   * Ends live sessions (one by sid, or a user's but keepSid) in one transaction: the rows deleted,
   * a `sid:` revocation record and no refresh token left for each, and each one's audit event.
   */
  endLive(target: EndTarget, now: number, ending: SessionEnding): Promise<EndedSessions>;
  /** Purges up to `batch` expired sessions, writing the deliveries each owes with it; returns those that went. */
  sweepExpired(now: number, batch: number, ending?: Pick<SessionEnding, "outbox">): Promise<SessionRecord[]>;
  /** Records that the session granted a client these scopes (an authorization code was issued). */
  recordGrant(sid: string, clientId: string, scopes: string): Promise<void>;
  /** Per user: live authenticated sessions, their distinct addresses and the latest use (users without any are left out). */
  liveByUsers(userDns: string[], now: number): Promise<UserSessionSummary[]>;
  count(): Promise<number>;
}

export interface UserSessionSummary {
  userDn: string;
  count: number;
  /** Distinct remote addresses, sorted. */
  addresses: string[];
  lastUsedAt: number;
}

export interface UserRecord {
  dn: string;
  username: string;
  passwordHash: string;
  disabled: boolean;
  passwordChangedAt: number;
  /** Roles (Janssen's jansAdminUIRole values, e.g. admin or its old name api-admin). */
  roles: string[];
  email: string | null;
  /** The realm the user belongs to: "/" (root) or "/alpha". */
  realm: string;
}

/** Attributes a user can be found by (Janssen's user criteria). */
export type UserAttribute = "uid" | "mail" | "inum" | "dn";

export interface UserStore {
  getByName(username: string): Promise<UserRecord | undefined>;
  findBy(attribute: UserAttribute, value: string): Promise<UserRecord | undefined>;
  getByDn(dn: string): Promise<UserRecord | undefined>;
  insert(user: UserRecord): Promise<void>;
  setDisabled(dn: string, disabled: boolean): Promise<boolean>;
  setPassword(dn: string, passwordHash: string, changedAt: number): Promise<boolean>;
  /** A page of users by name; `search` keeps those whose name contains it (any case). */
  list(q: {
    offset: number;
    limit: number;
    search?: string;
  }): Promise<{ total: number; entries: UserRecord[] }>;
  count(): Promise<number>;
}

/** The lockout rules, as the store applies them. */
export interface LockoutPolicy {
  /** Failures (settled and in flight) that lock the name. */
  threshold: number;
  /** When a lock set now ends. */
  lockUntil: number;
  /** In-flight reservations older than this are forgotten (a crashed evaluator). */
  pendingTtlMs: number;
}

export type Reservation =
  | { ok: true }
  | { ok: false; reason: "locked"; lockedUntil: number }
  | { ok: false; reason: "busy" };

export interface LoginAttemptState {
  failures: number;
  pending: number;
  lockedUntil: number;
}

/**
 * Lockout per user name, decided in the store so it holds across processes: an attempt is
 * reserved before the password is evaluated (refused when locked, or when settled failures plus
 * attempts in flight already reach the threshold), then settled with its outcome.
 */
export interface LoginAttemptStore {
  reserve(username: string, now: number, policy: LockoutPolicy): Promise<Reservation>;
  /**
   * A failure counts (and locks at the threshold); a success clears the count unless locked
   * meanwhile. "locked" when the name is locked after this settlement.
   */
  settle(username: string, success: boolean, now: number, policy: LockoutPolicy): Promise<"ok" | "locked">;
  state(username: string, now: number): Promise<LoginAttemptState>;
  unlock(username: string): Promise<void>;
  /** Locks a name until `until` (an admin's lock), whatever its failures. */
  lock(username: string, until: number, now: number): Promise<void>;
  /** Forgets names untouched since `before` that are not locked. */
  purgeStale(before: number, now: number): Promise<number>;
}

export interface ClientRecord {
  clientId: string;
  /** Empty for a public client. */
  secretHash: string;
  scopes: string[];
  name: string;
  createdAt: number;
  type: "confidential" | "public";
  /** Exact-match redirect URIs for the authorization code flow. */
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** userinfo answers as a signed JWT for this client. */
  userinfoJwt: boolean;
  /** Where logout tokens go (OpenID Back-Channel Logout 1.0); null: the client gets none. */
  backchannelLogoutUri: string | null;
  /** Its logout tokens must carry `sid`. */
  backchannelLogoutSessionRequired: boolean;
}

/** What an update of a client may change. */
export type ClientChanges = Partial<
  Pick<
    ClientRecord,
    "backchannelLogoutUri" | "backchannelLogoutSessionRequired" | "redirectUris" | "postLogoutRedirectUris"
  >
>;

export interface ClientStore {
  get(clientId: string): Promise<ClientRecord | undefined>;
  insert(client: ClientRecord): Promise<void>;
  /** The client as updated; undefined when there is no such client. */
  update(clientId: string, changes: ClientChanges): Promise<ClientRecord | undefined>;
  /** Clients with a back-channel logout URI (read before a session ends, to write its logout intents). */
  withBackchannel(): Promise<ClientRecord[]>;
  count(): Promise<number>;
}

export interface SigningKeyRecord {
  kid: string;
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
}

export interface KeyStore {
  /** The newest signing key (ties broken by kid, so every instance picks the same). */
  current(): Promise<SigningKeyRecord | undefined>;
  get(kid: string): Promise<SigningKeyRecord | undefined>;
  all(): Promise<SigningKeyRecord[]>;
  insert(key: SigningKeyRecord): Promise<void>;
}

export type DeviceCodeStatus = "pending" | "approved" | "denied" | "used";

export interface DeviceCodeRecord {
  deviceCodeHash: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  intervalSeconds: number;
  status: DeviceCodeStatus;
  userDn: string | null;
  lastPollAt: number;
}

export type DeviceCodeChanges = Partial<
  Pick<DeviceCodeRecord, "status" | "userDn" | "lastPollAt" | "intervalSeconds">
>;

export interface DeviceCodeStore {
  insert(rec: DeviceCodeRecord): Promise<void>;
  get(deviceCodeHash: string): Promise<DeviceCodeRecord | undefined>;
  getByUserCode(userCode: string): Promise<DeviceCodeRecord | undefined>;
  update(deviceCodeHash: string, changes: DeviceCodeChanges): Promise<void>;
  /** A person's decision on a pending, unexpired code: true for the one decision that lands. */
  decide(
    deviceCodeHash: string,
    decision: "approved" | "denied",
    userDn: string,
    now: number,
  ): Promise<boolean>;
  /** Marks an approved, unexpired code used and returns it; undefined for every caller but one. */
  redeem(deviceCodeHash: string, now: number): Promise<DeviceCodeRecord | undefined>;
  /** Voids a user's approvals that no client has redeemed yet (the user was disabled); how many. */
  denyApprovedBy(userDn: string): Promise<number>;
  purgeExpired(now: number): Promise<number>;
}

export interface RefreshTokenRecord {
  tokenHash: string;
  clientId: string;
  subject: string;
  scopes: string[];
  expiresAt: number;
  /** The session it is bound to, if it came from one. */
  sid: string | null;
  /** offline_access: outlives the session's idle and absolute limits (not its explicit end). */
  offline: boolean;
  /** The grant it descends from (every rotation keeps it): a replay revokes the whole family. */
  family: string;
}

export interface RefreshTokenStore {
  insert(rec: RefreshTokenRecord): Promise<void>;
  /** Marks a live, unused refresh token used and returns it (rotation: each one is used once). */
  take(tokenHash: string, now: number): Promise<RefreshTokenRecord | undefined>;
  /** A token by its hash, used or not (reuse detection, RFC 7009 revocation). */
  find(tokenHash: string): Promise<{ token: RefreshTokenRecord; used: boolean } | undefined>;
  /** Deletes every token of a grant family; how many. */
  deleteFamily(family: string): Promise<number>;
  deleteBySubject(subject: string): Promise<number>;
  deleteBySid(sid: string): Promise<number>;
  purgeExpired(now: number): Promise<number>;
}

export interface AuthorizationCodeRecord {
  codeHash: string;
  clientId: string;
  redirectUri: string;
  sid: string;
  userDn: string;
  scopes: string[];
  nonce: string | null;
  /** S256 challenge (base64url), when PKCE was used. */
  codeChallenge: string | null;
  authTime: number;
  acr: string;
  expiresAt: number;
}

export interface AuthorizationCodeStore {
  insert(rec: AuthorizationCodeRecord): Promise<void>;
  /** Marks a live code redeemed and returns it: each is redeemed once, across processes. */
  take(codeHash: string, now: number): Promise<AuthorizationCodeRecord | undefined>;
  /** Whether a code was redeemed already (a replay), and by which client. */
  redeemedBy(codeHash: string): Promise<string | undefined>;
  purgeExpired(now: number): Promise<number>;
}

export type SessionEventType =
  | "created"
  | "authenticated"
  | "used"
  | "ended"
  | "revoked"
  | "expired"
  /** A sign-in refused for a wrong password (sid null). */
  | "login_failed"
  /** A name locked, by failures or by an admin (sid null). */
  | "locked"
  /** An admin acknowledged an alarm about a user (sid null). */
  | "alarm_acknowledged"
  /** An attempt to deliver a logout token or a security event (detail: target, outcome, attempt). */
  | "delivery";

export type EndTarget = { sid: string } | { userDn: string; keepSid?: string | undefined };

/** What ending a session writes beside deleting it. */
export interface SessionEnding {
  /** Until when (epoch ms) its `sid:` revocation is kept: the longest a bound access token lives. */
  revokeUntil: number;
  /** Its audit event. */
  event(s: SessionRecord): Omit<SessionEvent, "id">;
  /** The deliveries the ended sessions owe (logout tokens, security events), written in the same transaction. */
  outbox?(ended: SessionRecord[]): OutboxRecord[];
}

/** What a session replaced on re-authentication leaves behind, written with the replacement. */
export type SessionReplacing = Pick<SessionEnding, "revokeUntil" | "outbox">;

/**
 * backchannel: a logout token to a client; ssf-push / ssf-poll: a security event for a stream;
 * fanout: many of those at once (payload.rows), written as one row so an ending stays cheap and
 * expanded by the dispatcher.
 */
export type OutboxKind = "backchannel" | "ssf-push" | "ssf-poll" | "fanout";

export type OutboxState = "pending" | "delivered" | "failed";

/** One delivery owed to a relying party or receiver: written when it becomes due, kept until settled. */
export interface OutboxRecord {
  /** The jti of what is delivered: fixed when the intent is written, so every retry repeats it. */
  id: string;
  kind: OutboxKind;
  /** The client (backchannel) or stream (ssf-*) it goes to. */
  target: string;
  sid: string | null;
  userDn: string | null;
  /** What the token says besides iss, aud, iat, exp and jti. */
  payload: Record<string, unknown>;
  createdAt: number;
  nextAttemptAt: number;
  attempts: number;
  state: OutboxState;
  /** The last attempt's outcome (an HTTP status or an error), for the audit and the console. */
  outcome: string | null;
}

export interface OutboxSettlement {
  state: OutboxState;
  nextAttemptAt: number;
  outcome: string;
}

/**
 * The outbox: deliveries written in the transaction that made them due, claimed by one dispatcher
 * at a time (a lease, across instances), settled with each attempt's outcome.
 */
export interface OutboxStore {
  add(rows: OutboxRecord[]): Promise<void>;
  /** Writes a fanout row's deliveries (each once, however often it is expanded). */
  expand(rows: OutboxRecord[]): Promise<void>;
  /**
   * Claims up to `limit` due pushes (backchannel, ssf-push), oldest first: counts the attempt and
   * moves the next one to `leaseUntil`, so no other dispatcher takes them until then.
   */
  claim(now: number, leaseUntil: number, limit: number): Promise<OutboxRecord[]>;
  settle(id: string, s: OutboxSettlement): Promise<void>;
  /** Every delivery about a session (the console: which RPs were told). */
  bySid(sid: string): Promise<OutboxRecord[]>;
  /** A poll stream's undelivered events, oldest first. */
  pending(target: string, limit: number): Promise<OutboxRecord[]>;
  /** Marks a poll stream's events delivered (acknowledged); how many. */
  acknowledge(target: string, ids: string[], now: number): Promise<number>;
  /** Drops settled deliveries created before `at`, and a deleted stream's. */
  purge(at: number): Promise<number>;
  dropTarget(target: string): Promise<number>;
}

export type StreamStatus = "enabled" | "paused" | "disabled";

/** A Shared Signals stream a receiver (an OAuth client) configured. */
export interface StreamRecord {
  id: string;
  /** The client that owns it. */
  clientId: string;
  audience: string;
  method: "push" | "poll";
  /** Push: where SETs go. */
  endpointUrl: string | null;
  /** Push: the Authorization header the receiver asked for (a secret: never shown back). */
  authorizationHeader: string | null;
  eventsRequested: string[];
  description: string | null;
  status: StreamStatus;
  reason: string | null;
  /** Subjects added, as keys (`user:<dn>`, `session:<sid>`, or an unresolved one that matches nothing). */
  subjects: string[];
  createdAt: number;
  updatedAt: number;
}

export interface StreamStore {
  insert(s: StreamRecord): Promise<void>;
  get(id: string): Promise<StreamRecord | undefined>;
  ofClient(clientId: string): Promise<StreamRecord[]>;
  /** Streams that are not disabled (read before a session ends, to write its events). */
  active(): Promise<StreamRecord[]>;
  /** Replaces a stream's record; false when it is gone. */
  update(s: StreamRecord): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

export interface EndedSessions {
  sessions: SessionRecord[];
  /** The events appended, with their ids. */
  events: SessionEvent[];
}

export interface SessionEvent {
  id: number;
  at: number;
  type: SessionEventType;
  sid: string | null;
  userDn: string | null;
  username: string | null;
  clientId: string | null;
  /** Who did it: the user, a client (its id), an admin (their name), or the system (the sweeper). */
  actorType: "user" | "client" | "admin" | "system";
  actor: string | null;
  remoteIp: string | null;
  detail: Record<string, string>;
}

export interface EventQuery {
  types?: SessionEventType[];
  userDn?: string;
  since?: number;
  until?: number;
  limit: number;
  offset: number;
}

/** The append-only audit of session events. */
export interface EventStore {
  append(e: Omit<SessionEvent, "id">): Promise<number>;
  list(q: EventQuery): Promise<{ total: number; entries: SessionEvent[] }>;
  purgeBefore(at: number): Promise<number>;
}

export interface RevocationStore {
  /** Revokes by key: a token's jti, or `sid:<sid>` for every token bound to a session. */
  revoke(key: string, expiresAt: number): Promise<void>;
  /** Revokes every token of a subject issued before `before` (epoch ms). */
  revokeSubject(subject: string, before: number): Promise<void>;
  /**
   * A token's whole revocation check in one store read: any of its keys revoked, or (for a
   * person's token) its subject's tokens revoked at or after `issuedAt` (epoch ms).
   */
  isTokenRevoked(keys: string[], subject?: { subject: string; issuedAt: number }): Promise<boolean>;
  purgeExpired(now: number): Promise<number>;
}

export type AlarmKind = "ip_spread";

export interface AlarmRecord {
  id: number;
  kind: AlarmKind;
  userDn: string;
  username: string | null;
  raisedAt: number;
  detail: Record<string, string>;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
}

export interface AlarmQuery {
  /** true: unacknowledged only; false: acknowledged only. */
  open?: boolean;
  userDn?: string;
  limit: number;
  offset: number;
}

/** Alarms about users: raised once (while one of a kind is open for a user, no other), acknowledged by an admin. */
export interface AlarmStore {
  /** The new alarm's id, or undefined when one of that kind is already open for the user. */
  raise(a: Omit<AlarmRecord, "id" | "acknowledgedAt" | "acknowledgedBy">): Promise<number | undefined>;
  list(q: AlarmQuery): Promise<{ total: number; entries: AlarmRecord[] }>;
  /** False when there is no such open alarm. */
  acknowledge(id: number, by: string, at: number): Promise<boolean>;
}

/** Every aggregate of one backend, opened together and closed together. */
export interface Store {
  readonly kind: string;
  readonly sessions: SessionStore;
  readonly users: UserStore;
  readonly loginAttempts: LoginAttemptStore;
  readonly clients: ClientStore;
  readonly keys: KeyStore;
  readonly deviceCodes: DeviceCodeStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly authorizationCodes: AuthorizationCodeStore;
  readonly events: EventStore;
  readonly revocations: RevocationStore;
  readonly alarms: AlarmStore;
  readonly outbox: OutboxStore;
  readonly streams: StreamStore;
  healthy(): Promise<boolean>;
  /** Gives some freed space back (SQLite: incremental vacuum), never blocking long; true while more is left. */
  reclaim(): Promise<boolean>;
  close(): Promise<void>;
}

/** The backend could not be reached or refused the operation (maps to 503, never 500). */
export class StoreUnavailable extends Error {
  override name = "StoreUnavailable";
}
