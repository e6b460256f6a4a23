import { codeFromRow, codeInsert, insertSql } from "../rows.js";
import type { AuthorizationCodeRecord, AuthorizationCodeStore } from "../types.js";
import type { StatementCache } from "./statements.js";

/** Authorization codes: stored hashed, redeemed by one DELETE ... RETURNING. */
export class SqliteAuthorizationCodes implements AuthorizationCodeStore {
  constructor(private readonly sql: StatementCache) {}

  async insert(c: AuthorizationCodeRecord): Promise<void> {
    const ins = codeInsert(c);
    this.sql.get(insertSql(ins)).run(...ins.values);
  }

  async take(codeHash: string, now: number): Promise<AuthorizationCodeRecord | undefined> {
    const r = this.sql
      .get(
        "UPDATE authorization_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING *",
      )
      .get(now, codeHash, now) as Record<string, unknown> | undefined;
    return r && codeFromRow(r);
  }

  async redeemedBy(codeHash: string): Promise<string | undefined> {
    const r = this.sql
      .get("SELECT client_id FROM authorization_codes WHERE code_hash = ? AND used_at IS NOT NULL")
      .get(codeHash) as { client_id: string } | undefined;
    return r?.client_id;
  }

  async purgeExpired(now: number): Promise<number> {
    return this.sql.get("DELETE FROM authorization_codes WHERE expires_at <= ?").run(now).changes;
  }
}
