import {
  clientFromRow,
  clientInsert,
  clientSets,
  insertSql,
  keyFromRow,
  userFromRow,
  userInsert,
} from "../rows.js";
import type {
  ClientChanges,
  ClientRecord,
  ClientStore,
  KeyStore,
  SigningKeyRecord,
  UserAttribute,
  UserRecord,
  UserStore,
} from "../types.js";
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

  async getByDn(dn: string): Promise<UserRecord | undefined> {
    const r = this.sql.get("SELECT * FROM users WHERE dn = ?").get(dn) as Record<string, unknown> | undefined;
    return r && userFromRow(r);
  }

  async insert(u: UserRecord): Promise<void> {
    const ins = userInsert(u);
    this.sql.get(insertSql(ins)).run(...ins.values);
  }

  async findBy(attribute: UserAttribute, value: string): Promise<UserRecord | undefined> {
    const where: Record<UserAttribute, string> = {
      uid: "username = ?",
      mail: "email = ?",
      dn: "dn = ?",
      inum: "dn = 'inum=' || ? || ',ou=people,o=jans'",
    };
    const r = this.sql.get(`SELECT * FROM users WHERE ${where[attribute]}`).get(value) as
      | Record<string, unknown>
      | undefined;
    return r && userFromRow(r);
  }

  async setDisabled(dn: string, disabled: boolean): Promise<boolean> {
    return this.sql.get("UPDATE users SET disabled = ? WHERE dn = ?").run(disabled ? 1 : 0, dn).changes > 0;
  }

  async setPassword(dn: string, passwordHash: string, changedAt: number): Promise<boolean> {
    const stmt = this.sql.get("UPDATE users SET password_hash = ?, password_changed_at = ? WHERE dn = ?");
    return stmt.run(passwordHash, changedAt, dn).changes > 0;
  }

  async list(q: { offset: number; limit: number; search?: string }) {
    const where = q.search ? "WHERE instr(lower(username), lower(?)) > 0" : "";
    const params = q.search ? [q.search] : [];
    const { n } = this.sql.get(`SELECT count(*) AS n FROM users ${where}`).get(...params) as { n: number };
    const rows = this.sql
      .get(`SELECT * FROM users ${where} ORDER BY username LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as Record<string, unknown>[];
    return { total: n, entries: rows.map(userFromRow) };
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
    const ins = clientInsert(c);
    this.sql.get(insertSql(ins)).run(...ins.values);
  }

  async update(clientId: string, changes: ClientChanges): Promise<ClientRecord | undefined> {
    const sets = clientSets(changes);
    if (sets.length === 0) return this.get(clientId);
    const r = this.sql
      .get(`UPDATE clients SET ${sets.map(([c]) => `${c} = ?`).join(", ")} WHERE client_id = ? RETURNING *`)
      .get(...sets.map(([, v]) => v), clientId) as Record<string, unknown> | undefined;
    return r && clientFromRow(r);
  }

  async withBackchannel(): Promise<ClientRecord[]> {
    const rows = this.sql
      .get("SELECT * FROM clients WHERE backchannel_logout_uri IS NOT NULL")
      .all() as Record<string, unknown>[];
    return rows.map(clientFromRow);
  }

  async count(): Promise<number> {
    return (this.sql.get("SELECT count(*) AS n FROM clients").get() as { n: number }).n;
  }
}

export class SqliteKeys implements KeyStore {
  constructor(private readonly sql: StatementCache) {}

  async current(): Promise<SigningKeyRecord | undefined> {
    const r = this.sql.get("SELECT * FROM signing_keys ORDER BY created_at DESC, kid DESC LIMIT 1").get() as
      | Record<string, string | number>
      | undefined;
    return r && keyFromRow(r);
  }

  async get(kid: string): Promise<SigningKeyRecord | undefined> {
    const r = this.sql.get("SELECT * FROM signing_keys WHERE kid = ?").get(kid) as
      | Record<string, string | number>
      | undefined;
    return r && keyFromRow(r);
  }

  async all(): Promise<SigningKeyRecord[]> {
    return (
      this.sql.get("SELECT * FROM signing_keys ORDER BY created_at DESC, kid DESC").all() as Record<
        string,
        string | number
      >[]
    ).map(keyFromRow);
  }

  async insert(k: SigningKeyRecord): Promise<void> {
    this.sql
      .get("INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?)")
      .run(k.kid, k.privateJwk, k.publicJwk, k.createdAt);
  }
}
