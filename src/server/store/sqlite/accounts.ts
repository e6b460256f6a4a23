import type {
  ClientRecord,
  ClientStore,
  KeyStore,
  SigningKeyRecord,
  UserRecord,
  UserStore,
} from "../types.js";
import { clientFromRow, userFromRow } from "./rows.js";
import type { StatementCache } from "./statements.js";

// Users, OAuth clients and signing keys.

export class SqliteUsers implements UserStore {
  constructor(private readonly sql: StatementCache) {}

  async getByName(username: string): Promise<UserRecord | undefined> {
    const r = this.sql.get("SELECT * FROM users WHERE username = ?").get(username) as
      | Record<string, unknown>
      | undefined;
    return r && userFromRow(r);
  }

  async insert(u: UserRecord): Promise<void> {
    this.sql
      .get(
        "INSERT INTO users (dn, username, password_hash, failed_logins, locked_until) VALUES (?, ?, ?, ?, ?)",
      )
      .run(u.dn, u.username, u.passwordHash, u.failedLogins, u.lockedUntil);
  }

  async recordFailure(dn: string, threshold: number, lockUntil: number): Promise<UserRecord> {
    const r = this.sql
      .get(
        `UPDATE users SET failed_logins = failed_logins + 1,
           locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE dn = ? RETURNING *`,
      )
      .get(threshold, lockUntil, dn) as Record<string, unknown>;
    return userFromRow(r);
  }

  async resetFailures(dn: string): Promise<void> {
    this.sql.get("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE dn = ?").run(dn);
  }

  async count(): Promise<number> {
    return (this.sql.get("SELECT count(*) AS n FROM users").get() as { n: number }).n;
  }
}

export class SqliteClients implements ClientStore {
  constructor(private readonly sql: StatementCache) {}

  async get(clientId: string): Promise<ClientRecord | undefined> {
    const r = this.sql.get("SELECT * FROM clients WHERE client_id = ?").get(clientId) as
      | Record<string, unknown>
      | undefined;
    return r && clientFromRow(r);
  }

  async insert(c: ClientRecord): Promise<void> {
    this.sql
      .get("INSERT INTO clients (client_id, secret_hash, scopes, name, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(c.clientId, c.secretHash, c.scopes.join(" "), c.name, c.createdAt);
  }

  async count(): Promise<number> {
    return (this.sql.get("SELECT count(*) AS n FROM clients").get() as { n: number }).n;
  }
}

export class SqliteKeys implements KeyStore {
  constructor(private readonly sql: StatementCache) {}

  async current(): Promise<SigningKeyRecord | undefined> {
    const r = this.sql.get("SELECT * FROM signing_keys ORDER BY created_at DESC LIMIT 1").get() as
      | Record<string, string | number>
      | undefined;
    if (!r) return undefined;
    return {
      kid: String(r.kid),
      privateJwk: String(r.private_jwk),
      publicJwk: String(r.public_jwk),
      createdAt: Number(r.created_at),
    };
  }

  async insert(k: SigningKeyRecord): Promise<void> {
    this.sql
      .get("INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?)")
      .run(k.kid, k.privateJwk, k.publicJwk, k.createdAt);
  }
}
