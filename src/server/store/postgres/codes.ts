import { codeFromRow, codeInsert, insertSql } from "../rows.js";
import type { AuthorizationCodeRecord, AuthorizationCodeStore } from "../types.js";
import { numbered, type PgDb } from "./db.js";

/** Authorization codes: stored hashed, redeemed by one DELETE ... RETURNING. */
export class PgAuthorizationCodes implements AuthorizationCodeStore {
  constructor(private readonly db: PgDb) {}

  async insert(c: AuthorizationCodeRecord): Promise<void> {
    const ins = codeInsert(c);
    await this.db.query(numbered(insertSql(ins)), ins.values);
  }

  async take(codeHash: string, now: number): Promise<AuthorizationCodeRecord | undefined> {
    const sql =
      "UPDATE authorization_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING *";
    const r = (await this.db.query(sql, [codeHash, now]))[0];
    return r && codeFromRow(r);
  }

  async redeemedBy(codeHash: string): Promise<string | undefined> {
    const sql = "SELECT client_id FROM authorization_codes WHERE code_hash = $1 AND used_at IS NOT NULL";
    const r = (await this.db.query(sql, [codeHash]))[0];
    return r ? String(r.client_id) : undefined;
  }

  purgeExpired(now: number): Promise<number> {
    return this.db.run("DELETE FROM authorization_codes WHERE expires_at <= $1", [now]);
  }
}
