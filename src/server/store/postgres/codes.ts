import { codeFromRow } from "../rows.js";
import type { AuthorizationCodeRecord, AuthorizationCodeStore } from "../types.js";
import type { PgDb } from "./db.js";

/** Authorization codes: stored hashed, redeemed by one DELETE ... RETURNING. */
export class PgAuthorizationCodes implements AuthorizationCodeStore {
  constructor(private readonly db: PgDb) {}

  async insert(c: AuthorizationCodeRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, sid, user_dn, scopes, nonce, code_challenge, auth_time, acr, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        c.codeHash,
        c.clientId,
        c.redirectUri,
        c.sid,
        c.userDn,
        c.scopes.join(" "),
        c.nonce,
        c.codeChallenge,
        c.authTime,
        c.acr,
        c.expiresAt,
      ],
    );
  }

  async take(codeHash: string, now: number): Promise<AuthorizationCodeRecord | undefined> {
    const sql = "DELETE FROM authorization_codes WHERE code_hash = $1 AND expires_at > $2 RETURNING *";
    const r = (await this.db.query(sql, [codeHash, now]))[0];
    return r && codeFromRow(r);
  }

  purgeExpired(now: number): Promise<number> {
    return this.db.run("DELETE FROM authorization_codes WHERE expires_at <= $1", [now]);
  }
}
