import type { Filter, SessionState, SortField } from "./query.js";

// What the server persists, split by aggregate. Every method is asynchronous so that any
// backend (SQLite in process, PostgreSQL over a pool) can implement it; the contract suite in
// test/server/store/ is what every backend must pass.

export interface SessionRecord {
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
}

export interface SessionQuery {
  now: number;
  filters: Filter[];
  pattern: string;
  sortBy: SortField;
  descending: boolean;
  offset: number;
  limit: number;
}

export interface SessionPage {
  total: number;
  entries: SessionRecord[];
}

/** A per-user cap checked atomically with the write that would exceed it. */
export interface SessionCap {
  max: number;
  now: number;
}

export type CapResult = "ok" | "limit" | "gone";

export interface SessionStore {
  /** Inserts a session; an authenticated one only while its user is under the cap. */
  insert(rec: SessionRecord, cap?: SessionCap): Promise<CapResult>;
  /** Bulk import without a cap (seeding, benchmarks, migrations between backends). */
  insertMany(recs: SessionRecord[]): Promise<void>;
  /** Upgrades a live unauthenticated session in place, under the cap. */
  authenticate(sid: string, update: Partial<SessionRecord>, cap: SessionCap): Promise<CapResult>;
  getLive(sid: string, now: number): Promise<SessionRecord | undefined>;
  getLiveByCookie(cookieHash: string, now: number): Promise<SessionRecord | undefined>;
  /** Records a use: moves lastUsedAt and the idle deadline. */
  touch(sid: string, lastUsedAt: number, expiresAt: number): Promise<void>;
  search(q: SessionQuery): Promise<SessionPage>;
  deleteLive(sid: string, now: number): Promise<boolean>;
  deleteLiveOfUser(userDn: string, now: number): Promise<number>;
  /** Purges up to `batch` expired sessions; returns how many went. */
  sweepExpired(now: number, batch: number): Promise<number>;
  count(): Promise<number>;
}

export interface UserRecord {
  dn: string;
  username: string;
  passwordHash: string;
  failedLogins: number;
  lockedUntil: number;
}

export interface UserStore {
  getByName(username: string): Promise<UserRecord | undefined>;
  insert(user: UserRecord): Promise<void>;
  /** Counts a failed login; locks the account until lockUntil when the count reaches threshold. */
  recordFailure(dn: string, threshold: number, lockUntil: number): Promise<UserRecord>;
  resetFailures(dn: string): Promise<void>;
  count(): Promise<number>;
}

export interface ClientRecord {
  clientId: string;
  secretHash: string;
  scopes: string[];
  name: string;
  createdAt: number;
}

export interface ClientStore {
  get(clientId: string): Promise<ClientRecord | undefined>;
  insert(client: ClientRecord): Promise<void>;
  count(): Promise<number>;
}

export interface SigningKeyRecord {
  kid: string;
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
}

export interface KeyStore {
  /** The newest signing key. */
  current(): Promise<SigningKeyRecord | undefined>;
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
}

export interface RefreshTokenRecord {
  tokenHash: string;
  clientId: string;
  subject: string;
  scopes: string[];
  expiresAt: number;
}

export interface RefreshTokenStore {
  insert(rec: RefreshTokenRecord): Promise<void>;
  /** Removes and returns a live refresh token (rotation: each one is used once). */
  take(tokenHash: string, now: number): Promise<RefreshTokenRecord | undefined>;
}

export interface RevocationStore {
  revoke(jti: string, expiresAt: number): Promise<void>;
  isRevoked(jti: string): Promise<boolean>;
}

/** Every aggregate of one backend, opened together and closed together. */
export interface Store {
  readonly kind: string;
  readonly sessions: SessionStore;
  readonly users: UserStore;
  readonly clients: ClientStore;
  readonly keys: KeyStore;
  readonly deviceCodes: DeviceCodeStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly revocations: RevocationStore;
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** The backend could not be reached or refused the operation (maps to 503, never 500). */
export class StoreUnavailable extends Error {
  override name = "StoreUnavailable";
}
