import { codeFromRow } from "../rows.js";
import type { AuthorizationCodeRecord, AuthorizationCodeStore } from "../types.js";
import type { StatementCache } from "./statements.js";

/** Authorization codes: stored hashed, redeemed by one DELETE ... RETURNING. */
export class SqliteAuthorizationCodes implements AuthorizationCodeStore {
  constructor(private readonly sql: StatementCache) {}

  async insert(c: AuthorizationCodeRecord): Promise<void> {
    this.sql
      .get(
        `INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, sid, user_dn, scopes, nonce, code_challenge, auth_time, acr, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      );
  }

  async take(codeHash: string, now: number): Promise<AuthorizationCodeRecord | undefined> {
    const r = this.sql
      .get("DELETE FROM authorization_codes WHERE code_hash = ? AND expires_at > ? RETURNING *")
      .get(codeHash, now) as Record<string, unknown> | undefined;
    return r && codeFromRow(r);
  }

  async purgeExpired(now: number): Promise<number> {
    return this.sql.get("DELETE FROM authorization_codes WHERE expires_at <= ?").run(now).changes;
  }
}
