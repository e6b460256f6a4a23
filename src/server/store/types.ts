import type { Filter, SessionState, SortField } from "../session-fields.js";

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

export interface UserRecord {
  dn: string;
  username: string;
  passwordHash: string;
  failedLogins: number;
  lockedUntil: number;
}

export interface ClientRecord {
  clientId: string;
  secretHash: string;
  scopes: string[];
  name: string;
  createdAt: number;
}

export interface SigningKeyRecord {
  kid: string;
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
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

export interface RefreshTokenRecord {
  tokenHash: string;
  clientId: string;
  subject: string;
  scopes: string[];
  expiresAt: number;
}

/** A per-user cap checked atomically with the write that would exceed it. */
export interface SessionCap {
  max: number;
  now: number;
}

export type CapResult = "ok" | "limit" | "gone";

/** Everything the server persists. Implemented per backend (SQLite now, PostgreSQL later). */
export interface Store {
  readonly kind: string;
  insertSession(rec: SessionRecord, cap?: SessionCap): CapResult;
  /** Upgrades a live unauthenticated session in place, under the cap. */
  authenticateSession(sid: string, update: Partial<SessionRecord>, cap: SessionCap): CapResult;
  getLiveSession(sid: string, now: number): SessionRecord | undefined;
  getLiveSessionByCookie(cookieHash: string, now: number): SessionRecord | undefined;
  updateSessionUse(sid: string, lastUsedAt: number, expiresAt: number): void;
  searchSessions(q: SessionQuery): SessionPage;
  deleteLiveSession(sid: string, now: number): boolean;
  deleteLiveUserSessions(userDn: string, now: number): number;
  /** Purges up to `batch` expired sessions; returns how many went. */
  sweepExpired(now: number, batch: number): number;
  countSessions(): number;

  getUserByName(username: string): UserRecord | undefined;
  insertUser(user: UserRecord): void;
  recordLoginFailure(dn: string, threshold: number, lockUntil: number): UserRecord;
  resetLoginFailures(dn: string): void;
  countUsers(): number;

  getClient(clientId: string): ClientRecord | undefined;
  insertClient(client: ClientRecord): void;
  countClients(): number;

  getSigningKey(): SigningKeyRecord | undefined;
  insertSigningKey(key: SigningKeyRecord): void;

  insertDeviceCode(rec: DeviceCodeRecord): void;
  getDeviceCode(deviceCodeHash: string): DeviceCodeRecord | undefined;
  getDeviceCodeByUserCode(userCode: string): DeviceCodeRecord | undefined;
  updateDeviceCode(
    deviceCodeHash: string,
    changes: Partial<Pick<DeviceCodeRecord, "status" | "userDn" | "lastPollAt" | "intervalSeconds">>,
  ): void;

  insertRefreshToken(rec: RefreshTokenRecord): void;
  /** Removes and returns a live refresh token (rotation: each one is used once). */
  takeRefreshToken(tokenHash: string, now: number): RefreshTokenRecord | undefined;

  revokeToken(jti: string, expiresAt: number): void;
  isTokenRevoked(jti: string): boolean;

  healthy(): boolean;
  close(): void;
}
