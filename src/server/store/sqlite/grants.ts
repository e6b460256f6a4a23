import { deviceFromRow, deviceInsert, insertSql, refreshFromRow, refreshInsert } from "../rows.js";
import type {
  DeviceCodeChanges,
  DeviceCodeRecord,
  DeviceCodeStore,
  RefreshTokenRecord,
  RefreshTokenStore,
  RevocationStore,
} from "../types.js";
import type { StatementCache } from "./statements.js";

// Device codes, refresh tokens and revoked access tokens.

const DEVICE_COLUMNS: Readonly<Record<keyof DeviceCodeChanges, string>> = {
  status: "status",
  userDn: "user_dn",
  lastPollAt: "last_poll_at",
  intervalSeconds: "interval_s",
};

export class SqliteDeviceCodes implements DeviceCodeStore {
  constructor(private readonly sql: StatementCache) {}

  async insert(r: DeviceCodeRecord): Promise<void> {
    const ins = deviceInsert(r);
    this.sql.get(insertSql(ins)).run(...ins.values);
  }

  async get(deviceCodeHash: string): Promise<DeviceCodeRecord | undefined> {
    const r = this.sql.get("SELECT * FROM device_codes WHERE device_code_hash = ?").get(deviceCodeHash) as
      | Record<string, unknown>
      | undefined;
    return r && deviceFromRow(r);
  }

  async getByUserCode(userCode: string): Promise<DeviceCodeRecord | undefined> {
    const r = this.sql.get("SELECT * FROM device_codes WHERE user_code = ?").get(userCode) as
      | Record<string, unknown>
      | undefined;
    return r && deviceFromRow(r);
  }

  async update(deviceCodeHash: string, changes: DeviceCodeChanges): Promise<void> {
    const keys = (Object.keys(changes) as (keyof DeviceCodeChanges)[]).filter((k) =>
      Object.hasOwn(DEVICE_COLUMNS, k),
    );
    if (keys.length === 0) return;
    const sets = keys.map((k) => `${DEVICE_COLUMNS[k]} = ?`).join(", ");
    this.sql
      .get(`UPDATE device_codes SET ${sets} WHERE device_code_hash = ?`)
      .run(...keys.map((k) => changes[k] ?? null), deviceCodeHash);
  }

  async redeem(deviceCodeHash: string, now: number): Promise<DeviceCodeRecord | undefined> {
    // One conditional update: of any number of pollers, in any number of processes, one wins.
    const r = this.sql
      .get(
        "UPDATE device_codes SET status = 'used' WHERE device_code_hash = ? AND status = 'approved' AND expires_at > ? RETURNING *",
      )
      .get(deviceCodeHash, now) as Record<string, unknown> | undefined;
    return r && deviceFromRow(r);
  }

  async denyApprovedBy(userDn: string): Promise<number> {
    return this.sql
      .get("UPDATE device_codes SET status = 'denied' WHERE user_dn = ? AND status = 'approved'")
      .run(userDn).changes;
  }

  async purgeExpired(now: number): Promise<number> {
    return this.sql.get("DELETE FROM device_codes WHERE expires_at <= ?").run(now).changes;
  }
}

export class SqliteRefreshTokens implements RefreshTokenStore {
  constructor(private readonly sql: StatementCache) {}

  async insert(r: RefreshTokenRecord): Promise<void> {
    const ins = refreshInsert(r);
    this.sql.get(insertSql(ins)).run(...ins.values);
  }

  async take(tokenHash: string, now: number): Promise<RefreshTokenRecord | undefined> {
    const r = this.sql
      .get(
        "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING *",
      )
      .get(now, tokenHash, now) as Record<string, unknown> | undefined;
    return r && refreshFromRow(r);
  }

  async find(tokenHash: string): Promise<{ token: RefreshTokenRecord; used: boolean } | undefined> {
    const r = this.sql.get("SELECT * FROM refresh_tokens WHERE token_hash = ?").get(tokenHash) as
      | Record<string, unknown>
      | undefined;
    return r && { token: refreshFromRow(r), used: r.used_at !== null };
  }

  async deleteFamily(family: string): Promise<number> {
    return this.sql.get("DELETE FROM refresh_tokens WHERE family_id = ?").run(family).changes;
  }

  async deleteBySid(sid: string): Promise<number> {
    return this.sql.get("DELETE FROM refresh_tokens WHERE sid = ?").run(sid).changes;
  }

  async deleteBySubject(subject: string): Promise<number> {
    return this.sql.get("DELETE FROM refresh_tokens WHERE subject = ?").run(subject).changes;
  }

  async purgeExpired(now: number): Promise<number> {
    return this.sql.get("DELETE FROM refresh_tokens WHERE expires_at <= ?").run(now).changes;
  }
}

/** A revocation record, kept for the later of the two expiries. */
export const SQLITE_REVOKE =
  "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)";

export class SqliteRevocations implements RevocationStore {
  constructor(private readonly sql: StatementCache) {}

  async revoke(key: string, expiresAt: number): Promise<void> {
    this.sql.get(SQLITE_REVOKE).run(key, expiresAt);
  }

  async isRevoked(key: string): Promise<boolean> {
    return this.sql.get("SELECT 1 FROM revoked_tokens WHERE jti = ?").get(key) !== undefined;
  }

  async isRevokedAny(keys: string[]): Promise<boolean> {
    if (keys.length === 0) return false;
    const marks = keys.map(() => "?").join(", ");
    return (
      this.sql.get(`SELECT 1 FROM revoked_tokens WHERE jti IN (${marks}) LIMIT 1`).get(...keys) !== undefined
    );
  }

  async isTokenRevoked(keys: string[], subject?: { subject: string; issuedAt: number }): Promise<boolean> {
    if (subject === undefined) return this.isRevokedAny(keys);
    const marks = keys.map(() => "?").join(", ");
    const row = this.sql
      .get(
        `SELECT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti IN (${marks || "NULL"}))
           OR EXISTS (SELECT 1 FROM revoked_subjects WHERE subject = ? AND before >= ?) AS revoked`,
      )
      .get(...keys, subject.subject, subject.issuedAt) as { revoked: number };
    return row.revoked === 1;
  }

  async revokeSubject(subject: string, before: number): Promise<void> {
    this.sql
      .get(
        "INSERT INTO revoked_subjects (subject, before) VALUES (?, ?) ON CONFLICT (subject) DO UPDATE SET before = max(before, excluded.before)",
      )
      .run(subject, before);
  }

  async subjectRevokedBefore(subject: string): Promise<number | undefined> {
    const r = this.sql.get("SELECT before FROM revoked_subjects WHERE subject = ?").get(subject) as
      | { before: number }
      | undefined;
    return r?.before;
  }

  async purgeExpired(now: number): Promise<number> {
    return this.sql.get("DELETE FROM revoked_tokens WHERE expires_at <= ?").run(now).changes;
  }
}
