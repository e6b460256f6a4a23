import { deviceFromRow, deviceInsert, insertSql, refreshFromRow, refreshInsert } from "../rows.js";
import type {
  DeviceCodeChanges,
  DeviceCodeRecord,
  DeviceCodeStore,
  RefreshTokenRecord,
  RefreshTokenStore,
  RevocationStore,
} from "../types.js";
import { numbered, type PgDb } from "./db.js";

// Device codes, refresh tokens and revoked access tokens; every "once" is one conditional
// statement, which PostgreSQL serialises on the row across every instance.

const DEVICE_COLUMNS: Readonly<Record<keyof DeviceCodeChanges, string>> = {
  status: "status",
  userDn: "user_dn",
  lastPollAt: "last_poll_at",
  intervalSeconds: "interval_s",
};

export class PgDeviceCodes implements DeviceCodeStore {
  constructor(private readonly db: PgDb) {}

  async insert(r: DeviceCodeRecord): Promise<void> {
    const ins = deviceInsert(r);
    await this.db.query(numbered(insertSql(ins)), ins.values);
  }

  async get(deviceCodeHash: string): Promise<DeviceCodeRecord | undefined> {
    const r = (
      await this.db.query("SELECT * FROM device_codes WHERE device_code_hash = $1", [deviceCodeHash])
    )[0];
    return r && deviceFromRow(r);
  }

  async getByUserCode(userCode: string): Promise<DeviceCodeRecord | undefined> {
    const r = (await this.db.query("SELECT * FROM device_codes WHERE user_code = $1", [userCode]))[0];
    return r && deviceFromRow(r);
  }

  async update(deviceCodeHash: string, changes: DeviceCodeChanges): Promise<void> {
    const keys = (Object.keys(changes) as (keyof DeviceCodeChanges)[]).filter((k) =>
      Object.hasOwn(DEVICE_COLUMNS, k),
    );
    if (keys.length === 0) return;
    const sets = keys.map((k, i) => `${DEVICE_COLUMNS[k]} = $${i + 1}`).join(", ");
    await this.db.query(`UPDATE device_codes SET ${sets} WHERE device_code_hash = $${keys.length + 1}`, [
      ...keys.map((k) => changes[k] ?? null),
      deviceCodeHash,
    ]);
  }

  async redeem(deviceCodeHash: string, now: number): Promise<DeviceCodeRecord | undefined> {
    // A concurrent redeemer waits on the row lock, then finds the status no longer 'approved'.
    const r = (
      await this.db.query(
        "UPDATE device_codes SET status = 'used' WHERE device_code_hash = $1 AND status = 'approved' AND expires_at > $2 RETURNING *",
        [deviceCodeHash, now],
      )
    )[0];
    return r && deviceFromRow(r);
  }

  denyApprovedBy(userDn: string): Promise<number> {
    return this.db.run(
      "UPDATE device_codes SET status = 'denied' WHERE user_dn = $1 AND status = 'approved'",
      [userDn],
    );
  }

  purgeExpired(now: number): Promise<number> {
    return this.db.run("DELETE FROM device_codes WHERE expires_at <= $1", [now]);
  }
}

export class PgRefreshTokens implements RefreshTokenStore {
  constructor(private readonly db: PgDb) {}

  async insert(r: RefreshTokenRecord): Promise<void> {
    const ins = refreshInsert(r);
    await this.db.query(numbered(insertSql(ins)), ins.values);
  }

  async take(tokenHash: string, now: number): Promise<RefreshTokenRecord | undefined> {
    const r = (
      await this.db.query(
        "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING *",
        [tokenHash, now],
      )
    )[0];
    return r && refreshFromRow(r);
  }

  async find(tokenHash: string): Promise<{ token: RefreshTokenRecord; used: boolean } | undefined> {
    const r = (await this.db.query("SELECT * FROM refresh_tokens WHERE token_hash = $1", [tokenHash]))[0];
    return r && { token: refreshFromRow(r), used: r.used_at !== null };
  }

  deleteFamily(family: string): Promise<number> {
    return this.db.run("DELETE FROM refresh_tokens WHERE family_id = $1", [family]);
  }

  deleteBySid(sid: string): Promise<number> {
    return this.db.run("DELETE FROM refresh_tokens WHERE sid = $1", [sid]);
  }

  deleteBySubject(subject: string): Promise<number> {
    return this.db.run("DELETE FROM refresh_tokens WHERE subject = $1", [subject]);
  }

  purgeExpired(now: number): Promise<number> {
    return this.db.run("DELETE FROM refresh_tokens WHERE expires_at <= $1", [now]);
  }
}

/** A revocation record, kept for the later of the two expiries. */
export const PG_REVOKE = `INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2)
       ON CONFLICT (jti) DO UPDATE SET expires_at = greatest(revoked_tokens.expires_at, excluded.expires_at)`;

export class PgRevocations implements RevocationStore {
  constructor(private readonly db: PgDb) {}

  async revoke(key: string, expiresAt: number): Promise<void> {
    await this.db.query(PG_REVOKE, [key, expiresAt]);
  }

  async isRevoked(key: string): Promise<boolean> {
    return (await this.db.query("SELECT 1 FROM revoked_tokens WHERE jti = $1", [key])).length > 0;
  }

  async isRevokedAny(keys: string[]): Promise<boolean> {
    if (keys.length === 0) return false;
    return (
      (await this.db.query("SELECT 1 FROM revoked_tokens WHERE jti = ANY($1::text[]) LIMIT 1", [keys]))
        .length > 0
    );
  }

  async isTokenRevoked(keys: string[], subject?: { subject: string; issuedAt: number }): Promise<boolean> {
    if (subject === undefined) return this.isRevokedAny(keys);
    const rows = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = ANY($1::text[]))
           OR EXISTS (SELECT 1 FROM revoked_subjects WHERE subject = $2 AND before >= $3) AS revoked`,
      [keys, subject.subject, subject.issuedAt],
    );
    return rows[0]?.revoked === true;
  }

  async revokeSubject(subject: string, before: number): Promise<void> {
    await this.db.query(
      `INSERT INTO revoked_subjects (subject, before) VALUES ($1, $2)
       ON CONFLICT (subject) DO UPDATE SET before = greatest(revoked_subjects.before, excluded.before)`,
      [subject, before],
    );
  }

  async subjectRevokedBefore(subject: string): Promise<number | undefined> {
    const r = (await this.db.query("SELECT before FROM revoked_subjects WHERE subject = $1", [subject]))[0];
    return r === undefined ? undefined : Number(r.before);
  }

  purgeExpired(now: number): Promise<number> {
    return this.db.run("DELETE FROM revoked_tokens WHERE expires_at <= $1", [now]);
  }
}
