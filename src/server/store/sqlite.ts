import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { SessionState } from "../session-fields.js";
import { SQLITE_MIGRATIONS } from "./sqlite-migrations.js";
import { buildSessionQuery } from "./sqlite-query.js";
import type {
  CapResult,
  ClientRecord,
  DeviceCodeRecord,
  RefreshTokenRecord,
  SessionCap,
  SessionPage,
  SessionQuery,
  SessionRecord,
  SigningKeyRecord,
  Store,
  UserRecord,
} from "./types.js";

interface SessionRow {
  sid: string;
  cookie_hash: string;
  user_dn: string | null;
  state: SessionState;
  created_at: number;
  last_used_at: number;
  auth_time: number | null;
  absolute_expires_at: number;
  expires_at: number;
  permission_granted: number;
  attrs: string;
}

const SESSION_COLUMNS =
  "sid, cookie_hash, user_dn, state, created_at, last_used_at, auth_time, absolute_expires_at, expires_at, permission_granted, attrs";

function toRecord(r: SessionRow): SessionRecord {
  return {
    sid: r.sid,
    cookieHash: r.cookie_hash,
    userDn: r.user_dn,
    state: r.state,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    authTime: r.auth_time,
    absoluteExpiresAt: r.absolute_expires_at,
    expiresAt: r.expires_at,
    permissionGranted: r.permission_granted === 1,
    attributes: JSON.parse(r.attrs) as Record<string, string>,
  };
}

function toRow(s: SessionRecord): Record<string, unknown> {
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
  };
}

export interface SqliteStoreOptions {
  /** File path, or ":memory:". */
  path: string;
}

/** The default store: one SQLite file in WAL mode, migrated on open. */
export class SqliteStore implements Store {
  readonly kind = "sqlite";
  private readonly db: Database.Database;
  private readonly stmts;
  /** Search SQL varies only by which filters are present, so compiled statements are reused. */
  private readonly searchCache = new Map<string, Database.Statement>();

  constructor(opts: SqliteStoreOptions) {
    if (opts.path !== ":memory:") mkdirSync(dirname(opts.path), { recursive: true, mode: 0o700 });
    this.db = new Database(opts.path);
    if (opts.path !== ":memory:") chmodSync(opts.path, 0o600);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("foreign_keys = ON");
    this.migrate();
    this.stmts = this.prepare();
  }

  private migrate(): void {
    const current = this.db.pragma("user_version", { simple: true }) as number;
    for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(SQLITE_MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      insertSession: db.prepare(
        `INSERT INTO sessions (${SESSION_COLUMNS}, auth_user, client_id, acr, remote_ip, user_agent)
         VALUES (@sid, @cookie_hash, @user_dn, @state, @created_at, @last_used_at, @auth_time, @absolute_expires_at,
                 @expires_at, @permission_granted, @attrs, @auth_user, @client_id, @acr, @remote_ip, @user_agent)`,
      ),
      countUserLive: db.prepare(
        "SELECT count(*) AS n FROM sessions WHERE user_dn = ? AND expires_at > ? AND state = 'authenticated'",
      ),
      getLive: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE sid = ? AND expires_at > ?`),
      getLiveByCookie: db.prepare(
        `SELECT ${SESSION_COLUMNS} FROM sessions WHERE cookie_hash = ? AND expires_at > ?`,
      ),
      updateUse: db.prepare("UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE sid = ?"),
      upgrade: db.prepare(
        `UPDATE sessions SET user_dn = @user_dn, state = @state, last_used_at = @last_used_at, auth_time = @auth_time,
           expires_at = @expires_at, permission_granted = @permission_granted, attrs = @attrs, auth_user = @auth_user,
           client_id = @client_id, acr = @acr, remote_ip = @remote_ip, user_agent = @user_agent
         WHERE sid = @sid AND expires_at > @now`,
      ),
      deleteLive: db.prepare("DELETE FROM sessions WHERE sid = ? AND expires_at > ?"),
      deleteUser: db.prepare("DELETE FROM sessions WHERE user_dn = ? AND expires_at > ?"),
      sweep: db.prepare(
        "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)",
      ),
      countSessions: db.prepare("SELECT count(*) AS n FROM sessions"),
      getUser: db.prepare("SELECT * FROM users WHERE username = ?"),
      getUserByDn: db.prepare("SELECT * FROM users WHERE dn = ?"),
      insertUser: db.prepare(
        "INSERT INTO users (dn, username, password_hash, failed_logins, locked_until) VALUES (?, ?, ?, ?, ?)",
      ),
      failLogin: db.prepare(
        `UPDATE users SET failed_logins = failed_logins + 1,
           locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE dn = ?`,
      ),
      resetFailures: db.prepare("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE dn = ?"),
      countUsers: db.prepare("SELECT count(*) AS n FROM users"),
      getClient: db.prepare("SELECT * FROM clients WHERE client_id = ?"),
      insertClient: db.prepare(
        "INSERT INTO clients (client_id, secret_hash, scopes, name, created_at) VALUES (?, ?, ?, ?, ?)",
      ),
      countClients: db.prepare("SELECT count(*) AS n FROM clients"),
      getKey: db.prepare("SELECT * FROM signing_keys ORDER BY created_at DESC LIMIT 1"),
      insertKey: db.prepare(
        "INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?)",
      ),
      revoke: db.prepare("INSERT OR IGNORE INTO revoked_tokens (jti, expires_at) VALUES (?, ?)"),
      isRevoked: db.prepare("SELECT 1 FROM revoked_tokens WHERE jti = ?"),
      health: db.prepare("SELECT 1 AS ok"),
      insertDevice: db.prepare(
        `INSERT INTO device_codes (device_code_hash, user_code, client_id, scopes, expires_at, interval_s, status, user_dn, last_poll_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      getDevice: db.prepare("SELECT * FROM device_codes WHERE device_code_hash = ?"),
      getDeviceByUserCode: db.prepare("SELECT * FROM device_codes WHERE user_code = ?"),
      insertRefresh: db.prepare(
        "INSERT INTO refresh_tokens (token_hash, client_id, subject, scopes, expires_at) VALUES (?, ?, ?, ?, ?)",
      ),
      takeRefresh: db.prepare(
        "DELETE FROM refresh_tokens WHERE token_hash = ? AND expires_at > ? RETURNING *",
      ),
    };
  }

  private underCap(userDn: string | null, cap: SessionCap | undefined): boolean {
    if (!cap || cap.max <= 0 || userDn === null) return true;
    const { n } = this.stmts.countUserLive.get(userDn, cap.now) as { n: number };
    return n < cap.max;
  }

  insertSession(rec: SessionRecord, cap?: SessionCap): CapResult {
    // IMMEDIATE takes the write lock before the count, so the cap holds across processes too.
    return this.db
      .transaction((): CapResult => {
        if (rec.state === "authenticated" && !this.underCap(rec.userDn, cap)) return "limit";
        this.stmts.insertSession.run(toRow(rec));
        return "ok";
      })
      .immediate();
  }

  authenticateSession(sid: string, update: Partial<SessionRecord>, cap: SessionCap): CapResult {
    return this.db
      .transaction((): CapResult => {
        const row = this.stmts.getLive.get(sid, cap.now) as SessionRow | undefined;
        if (!row) return "gone";
        const next = { ...toRecord(row), ...update };
        if (!this.underCap(next.userDn, cap)) return "limit";
        this.stmts.upgrade.run({ ...toRow(next), now: cap.now });
        return "ok";
      })
      .immediate();
  }

  getLiveSession(sid: string, now: number): SessionRecord | undefined {
    const row = this.stmts.getLive.get(sid, now) as SessionRow | undefined;
    return row && toRecord(row);
  }

  getLiveSessionByCookie(cookieHash: string, now: number): SessionRecord | undefined {
    const row = this.stmts.getLiveByCookie.get(cookieHash, now) as SessionRow | undefined;
    return row && toRecord(row);
  }

  updateSessionUse(sid: string, lastUsedAt: number, expiresAt: number): void {
    this.stmts.updateUse.run(lastUsedAt, expiresAt, sid);
  }

  searchSessions(q: SessionQuery): SessionPage {
    const { where, params, orderBy } = buildSessionQuery(q);
    const { n } = this.cached(`SELECT count(*) AS n FROM sessions WHERE ${where}`).get(...params) as {
      n: number;
    };
    if (n === 0 || q.offset >= n) return { total: n, entries: [] };
    // Pick the page's ids first (often from a covering index), then read only those rows.
    const rows = this.cached(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id IN
         (SELECT id FROM sessions WHERE ${where} ORDER BY ${orderBy} LIMIT ? OFFSET ?) ORDER BY ${orderBy}`,
    ).all(...params, q.limit, q.offset) as SessionRow[];
    return { total: n, entries: rows.map(toRecord) };
  }

  private cached(sql: string): Database.Statement {
    let stmt = this.searchCache.get(sql);
    if (!stmt) {
      if (this.searchCache.size > 500) this.searchCache.clear();
      stmt = this.db.prepare(sql);
      this.searchCache.set(sql, stmt);
    }
    return stmt;
  }

  deleteLiveSession(sid: string, now: number): boolean {
    return this.stmts.deleteLive.run(sid, now).changes > 0;
  }

  deleteLiveUserSessions(userDn: string, now: number): number {
    return this.stmts.deleteUser.run(userDn, now).changes;
  }

  sweepExpired(now: number, batch: number): number {
    return this.stmts.sweep.run(now, batch).changes;
  }

  countSessions(): number {
    return (this.stmts.countSessions.get() as { n: number }).n;
  }

  getUserByName(username: string): UserRecord | undefined {
    const r = this.stmts.getUser.get(username) as Record<string, unknown> | undefined;
    return r && userFromRow(r);
  }

  insertUser(u: UserRecord): void {
    this.stmts.insertUser.run(u.dn, u.username, u.passwordHash, u.failedLogins, u.lockedUntil);
  }

  recordLoginFailure(dn: string, threshold: number, lockUntil: number): UserRecord {
    this.stmts.failLogin.run(threshold, lockUntil, dn);
    return userFromRow(this.stmts.getUserByDn.get(dn) as Record<string, unknown>);
  }

  resetLoginFailures(dn: string): void {
    this.stmts.resetFailures.run(dn);
  }

  countUsers(): number {
    return (this.stmts.countUsers.get() as { n: number }).n;
  }

  getClient(clientId: string): ClientRecord | undefined {
    const r = this.stmts.getClient.get(clientId) as Record<string, string | number> | undefined;
    if (!r) return undefined;
    return {
      clientId: String(r.client_id),
      secretHash: String(r.secret_hash),
      scopes: String(r.scopes).split(" ").filter(Boolean),
      name: String(r.name),
      createdAt: Number(r.created_at),
    };
  }

  insertClient(c: ClientRecord): void {
    this.stmts.insertClient.run(c.clientId, c.secretHash, c.scopes.join(" "), c.name, c.createdAt);
  }

  countClients(): number {
    return (this.stmts.countClients.get() as { n: number }).n;
  }

  getSigningKey(): SigningKeyRecord | undefined {
    const r = this.stmts.getKey.get() as Record<string, string | number> | undefined;
    if (!r) return undefined;
    return {
      kid: String(r.kid),
      privateJwk: String(r.private_jwk),
      publicJwk: String(r.public_jwk),
      createdAt: Number(r.created_at),
    };
  }

  insertSigningKey(k: SigningKeyRecord): void {
    this.stmts.insertKey.run(k.kid, k.privateJwk, k.publicJwk, k.createdAt);
  }

  insertDeviceCode(r: DeviceCodeRecord): void {
    this.stmts.insertDevice.run(
      r.deviceCodeHash,
      r.userCode,
      r.clientId,
      r.scopes.join(" "),
      r.expiresAt,
      r.intervalSeconds,
      r.status,
      r.userDn,
      r.lastPollAt,
    );
  }

  getDeviceCode(deviceCodeHash: string): DeviceCodeRecord | undefined {
    const r = this.stmts.getDevice.get(deviceCodeHash) as Record<string, unknown> | undefined;
    return r && deviceFromRow(r);
  }

  getDeviceCodeByUserCode(userCode: string): DeviceCodeRecord | undefined {
    const r = this.stmts.getDeviceByUserCode.get(userCode) as Record<string, unknown> | undefined;
    return r && deviceFromRow(r);
  }

  updateDeviceCode(
    deviceCodeHash: string,
    changes: Partial<Pick<DeviceCodeRecord, "status" | "userDn" | "lastPollAt" | "intervalSeconds">>,
  ): void {
    const cols: Record<string, string> = {
      status: "status",
      userDn: "user_dn",
      lastPollAt: "last_poll_at",
      intervalSeconds: "interval_s",
    };
    const keys = Object.keys(changes).filter((k) => k in cols);
    if (keys.length === 0) return;
    const sql = `UPDATE device_codes SET ${keys.map((k) => `${cols[k]} = ?`).join(", ")} WHERE device_code_hash = ?`;
    this.cached(sql).run(...keys.map((k) => changes[k as keyof typeof changes] ?? null), deviceCodeHash);
  }

  insertRefreshToken(r: RefreshTokenRecord): void {
    this.stmts.insertRefresh.run(r.tokenHash, r.clientId, r.subject, r.scopes.join(" "), r.expiresAt);
  }

  takeRefreshToken(tokenHash: string, now: number): RefreshTokenRecord | undefined {
    const r = this.stmts.takeRefresh.get(tokenHash, now) as Record<string, unknown> | undefined;
    if (!r) return undefined;
    return {
      tokenHash: String(r.token_hash),
      clientId: String(r.client_id),
      subject: String(r.subject),
      scopes: String(r.scopes).split(" ").filter(Boolean),
      expiresAt: Number(r.expires_at),
    };
  }

  revokeToken(jti: string, expiresAt: number): void {
    this.stmts.revoke.run(jti, expiresAt);
  }

  isTokenRevoked(jti: string): boolean {
    return this.stmts.isRevoked.get(jti) !== undefined;
  }

  healthy(): boolean {
    try {
      return (this.stmts.health.get() as { ok: number }).ok === 1;
    } catch {
      return false;
    }
  }

  /** For benchmarks: runs fn in one transaction so bulk inserts are fast. */
  bulk(fn: () => void): void {
    this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function deviceFromRow(r: Record<string, unknown>): DeviceCodeRecord {
  return {
    deviceCodeHash: String(r.device_code_hash),
    userCode: String(r.user_code),
    clientId: String(r.client_id),
    scopes: String(r.scopes).split(" ").filter(Boolean),
    expiresAt: Number(r.expires_at),
    intervalSeconds: Number(r.interval_s),
    status: r.status as DeviceCodeRecord["status"],
    userDn: r.user_dn === null ? null : String(r.user_dn),
    lastPollAt: Number(r.last_poll_at),
  };
}

function userFromRow(r: Record<string, unknown>): UserRecord {
  return {
    dn: String(r.dn),
    username: String(r.username),
    passwordHash: String(r.password_hash),
    failedLogins: Number(r.failed_logins),
    lockedUntil: Number(r.locked_until),
  };
}
