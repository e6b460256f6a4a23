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
      .get("DELETE FROM authorization_codes WHERE code_hash = ? AND expires_at > ? RETURNING *")
      .get(codeHash, now) as Record<string, unknown> | undefined;
    return r && codeFromRow(r);
  }

  async purgeExpired(now: number): Promise<number> {
    return this.sql.get("DELETE FROM authorization_codes WHERE expires_at <= ?").run(now).changes;
  }
}
