import { AUTHORIZATION_CODES, DEVICE_CODES, REFRESH_TOKENS } from "../rows.js";
import { flag } from "../table.js";
import type {
  AuthorizationCodeRecord,
  AuthorizationCodeStore,
  DeviceCodeChanges,
  DeviceCodeRecord,
  DeviceCodeStore,
  RefreshTokenRecord,
  RefreshTokenStore,
  RevocationStore,
} from "../types.js";
import { mapped, type SqlExecutor, type StoreDialect, type TxExecutor } from "./executor.js";

// Device codes, refresh tokens, authorization codes and revocations; every "once" is one
// conditional statement, which the database serialises on the row (across every instance).

/** What an update of a device code may change (any other field of the record is ignored). */
const DEVICE_CHANGES: readonly (keyof DeviceCodeChanges)[] = [
  "status",
  "userDn",
  "lastPollAt",
  "intervalSeconds",
];

export class SqlDeviceCodes implements DeviceCodeStore {
  constructor(private readonly x: SqlExecutor) {}

  async insert(r: DeviceCodeRecord): Promise<void> {
    const ins = DEVICE_CODES.insert(r);
    await this.x.run(ins.sql, ins.values);
  }

  async get(deviceCodeHash: string): Promise<DeviceCodeRecord | undefined> {
    const r = await this.x.get("SELECT * FROM device_codes WHERE device_code_hash = ?", [deviceCodeHash]);
    return r && DEVICE_CODES.fromRow(r);
  }

  async getByUserCode(userCode: string): Promise<DeviceCodeRecord | undefined> {
    const r = await this.x.get("SELECT * FROM device_codes WHERE user_code = ?", [userCode]);
    return r && DEVICE_CODES.fromRow(r);
  }

  async update(deviceCodeHash: string, changes: DeviceCodeChanges): Promise<void> {
    const sets = DEVICE_CODES.sets(changes, DEVICE_CHANGES);
    if (sets.values.length === 0) return;
    await this.x.run(`UPDATE device_codes SET ${sets.sql} WHERE device_code_hash = ?`, [
      ...sets.values,
      deviceCodeHash,
    ]);
  }

  async decide(deviceCodeHash: string, decision: "approved" | "denied", userDn: string, now: number) {
    const sql =
      "UPDATE device_codes SET status = ?, user_dn = ? WHERE device_code_hash = ? AND status = 'pending' AND expires_at > ?";
    return (await this.x.run(sql, [decision, userDn, deviceCodeHash, now])) > 0;
  }

  async redeem(deviceCodeHash: string, now: number): Promise<DeviceCodeRecord | undefined> {
    // One conditional update: of any number of pollers, in any number of processes, one wins.
    const r = await this.x.get(
      "UPDATE device_codes SET status = 'used' WHERE device_code_hash = ? AND status = 'approved' AND expires_at > ? RETURNING *",
      [deviceCodeHash, now],
    );
    return r && DEVICE_CODES.fromRow(r);
  }

  async denyApprovedBy(userDn: string): Promise<number> {
    return this.x.run("UPDATE device_codes SET status = 'denied' WHERE user_dn = ? AND status = 'approved'", [
      userDn,
    ]);
  }

  async purgeExpired(now: number): Promise<number> {
    return this.x.run("DELETE FROM device_codes WHERE expires_at <= ?", [now]);
  }
}

export class SqlRefreshTokens implements RefreshTokenStore {
  constructor(private readonly x: SqlExecutor) {}

  async insert(r: RefreshTokenRecord): Promise<void> {
    const ins = REFRESH_TOKENS.insert(r);
    await this.x.run(ins.sql, ins.values);
  }

  async take(tokenHash: string, now: number): Promise<RefreshTokenRecord | undefined> {
    const r = await this.x.get(
      "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING *",
      [now, tokenHash, now],
    );
    return r && REFRESH_TOKENS.fromRow(r);
  }

  async find(tokenHash: string): Promise<{ token: RefreshTokenRecord; used: boolean } | undefined> {
    const r = await this.x.get("SELECT * FROM refresh_tokens WHERE token_hash = ?", [tokenHash]);
    return r && { token: REFRESH_TOKENS.fromRow(r), used: r.used_at !== null };
  }

  async deleteFamily(family: string): Promise<number> {
    return this.x.run("DELETE FROM refresh_tokens WHERE family_id = ?", [family]);
  }

  async deleteBySid(sid: string): Promise<number> {
    return this.x.run("DELETE FROM refresh_tokens WHERE sid = ?", [sid]);
  }

  async deleteBySubject(subject: string): Promise<number> {
    return this.x.run("DELETE FROM refresh_tokens WHERE subject = ?", [subject]);
  }

  async purgeExpired(now: number): Promise<number> {
    return this.x.run("DELETE FROM refresh_tokens WHERE expires_at <= ?", [now]);
  }
}

/** Authorization codes: stored hashed, redeemed once by one conditional UPDATE ... RETURNING. */
export class SqlAuthorizationCodes implements AuthorizationCodeStore {
  constructor(private readonly x: SqlExecutor) {}

  async insert(c: AuthorizationCodeRecord): Promise<void> {
    const ins = AUTHORIZATION_CODES.insert(c);
    await this.x.run(ins.sql, ins.values);
  }

  async take(codeHash: string, now: number): Promise<AuthorizationCodeRecord | undefined> {
    const r = await this.x.get(
      "UPDATE authorization_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING *",
      [now, codeHash, now],
    );
    return r && AUTHORIZATION_CODES.fromRow(r);
  }

  async redeemedBy(codeHash: string): Promise<string | undefined> {
    const sql = "SELECT client_id FROM authorization_codes WHERE code_hash = ? AND used_at IS NOT NULL";
    const r = await this.x.get(sql, [codeHash]);
    return r ? String(r.client_id) : undefined;
  }

  async purgeExpired(now: number): Promise<number> {
    return this.x.run("DELETE FROM authorization_codes WHERE expires_at <= ?", [now]);
  }
}

/** A revocation record, kept for the later of the two expiries. */
export const revokeSql = (d: StoreDialect) =>
  `INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?)
   ON CONFLICT (jti) DO UPDATE SET expires_at = ${d.greatest}(revoked_tokens.expires_at, excluded.expires_at)`;

/** What ended sessions leave behind: each one's `sid:` revocation and no refresh token. */
export async function revokeSessions(x: TxExecutor, sids: readonly string[], until: number): Promise<void> {
  for (const sid of sids) {
    await x.run(revokeSql(x.dialect), [`sid:${sid}`, until]);
    await x.run("DELETE FROM refresh_tokens WHERE sid = ?", [sid]);
  }
}

export class SqlRevocations implements RevocationStore {
  private readonly revoke_: string;
  constructor(private readonly x: SqlExecutor) {
    this.revoke_ = revokeSql(x.dialect);
  }

  async revoke(key: string, expiresAt: number): Promise<void> {
    await this.x.run(this.revoke_, [key, expiresAt]);
  }

  async isTokenRevoked(keys: string[], subject?: { subject: string; issuedAt: number }): Promise<boolean> {
    const params: unknown[] = [];
    const checks: string[] = [];
    if (keys.length > 0)
      checks.push(`EXISTS (SELECT 1 FROM revoked_tokens WHERE ${this.x.dialect.anyOf("jti", keys, params)})`);
    if (subject) {
      checks.push("EXISTS (SELECT 1 FROM revoked_subjects WHERE subject = ? AND before >= ?)");
      params.push(subject.subject, subject.issuedAt);
    }
    if (checks.length === 0) return false;
    return mapped(this.x.get(`SELECT ${checks.join(" OR ")} AS revoked`, params), (r) => flag(r?.revoked));
  }

  async revokeSubject(subject: string, before: number): Promise<void> {
    await this.x.run(
      `INSERT INTO revoked_subjects (subject, before) VALUES (?, ?)
       ON CONFLICT (subject) DO UPDATE SET before = ${this.x.dialect.greatest}(revoked_subjects.before, excluded.before)`,
      [subject, before],
    );
  }

  async purgeExpired(now: number): Promise<number> {
    return this.x.run("DELETE FROM revoked_tokens WHERE expires_at <= ?", [now]);
  }
}
