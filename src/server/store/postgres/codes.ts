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
    const sql = "DELETE FROM authorization_codes WHERE code_hash = $1 AND expires_at > $2 RETURNING *";
    const r = (await this.db.query(sql, [codeHash, now]))[0];
    return r && codeFromRow(r);
  }

  purgeExpired(now: number): Promise<number> {
    return this.db.run("DELETE FROM authorization_codes WHERE expires_at <= $1", [now]);
  }
}
