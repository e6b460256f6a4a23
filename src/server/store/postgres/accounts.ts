import { clientFromRow, clientInsert, clientSets, insertSql, userFromRow, userInsert } from "../rows.js";
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
import { numbered, type PgDb } from "./db.js";

// Users, OAuth clients and signing keys.

export class PgUsers implements UserStore {
  constructor(private readonly db: PgDb) {}

  private async one(where: string, value: string): Promise<UserRecord | undefined> {
    const r = (await this.db.query(`SELECT * FROM users WHERE ${where}`, [value]))[0];
    return r && userFromRow(r);
  }

  getByName(username: string): Promise<UserRecord | undefined> {
    return this.one("username = $1", username);
  }

  getByDn(dn: string): Promise<UserRecord | undefined> {
    return this.one("dn = $1", dn);
  }

  findBy(attribute: UserAttribute, value: string): Promise<UserRecord | undefined> {
    const where: Record<UserAttribute, string> = {
      uid: "username = $1",
      mail: "email = $1",
      dn: "dn = $1",
      inum: "dn = 'inum=' || $1 || ',ou=people,o=jans'",
    };
    return this.one(where[attribute], value);
  }

  async insert(u: UserRecord): Promise<void> {
    const ins = userInsert(u);
    await this.db.query(numbered(insertSql(ins)), ins.values);
  }

  async setDisabled(dn: string, disabled: boolean): Promise<boolean> {
    return (await this.db.run("UPDATE users SET disabled = $1 WHERE dn = $2", [disabled, dn])) > 0;
  }

  async setPassword(dn: string, passwordHash: string, changedAt: number): Promise<boolean> {
    const sql = "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE dn = $3";
    return (await this.db.run(sql, [passwordHash, changedAt, dn])) > 0;
  }

  async list(q: { offset: number; limit: number; search?: string }) {
    const where = q.search ? "WHERE strpos(lower(username), lower($1)) > 0" : "";
    const params = q.search ? [q.search] : [];
    const total = await this.db.count(`SELECT count(*) AS n FROM users ${where}`, params);
    const n = params.length;
    const rows = await this.db.query(
      `SELECT * FROM users ${where} ORDER BY username LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, q.limit, q.offset],
    );
    return { total, entries: rows.map(userFromRow) };
  }

  count(): Promise<number> {
    return this.db.count("SELECT count(*) AS n FROM users");
  }
}

export class PgClients implements ClientStore {
  constructor(private readonly db: PgDb) {}

  async get(clientId: string): Promise<ClientRecord | undefined> {
    const r = (await this.db.query("SELECT * FROM clients WHERE client_id = $1", [clientId]))[0];
    return r && clientFromRow(r);
  }

  async insert(c: ClientRecord): Promise<void> {
    const ins = clientInsert(c);
    await this.db.query(numbered(insertSql(ins)), ins.values);
  }

  async update(clientId: string, changes: ClientChanges): Promise<ClientRecord | undefined> {
    const sets = clientSets(changes);
    if (sets.length === 0) return this.get(clientId);
    const r = (
      await this.db.query(
        numbered(
          `UPDATE clients SET ${sets.map(([c]) => `${c} = ?`).join(", ")} WHERE client_id = ? RETURNING *`,
        ),
        [...sets.map(([, v]) => v), clientId],
      )
    )[0];
    return r && clientFromRow(r);
  }

  async withBackchannel(): Promise<ClientRecord[]> {
    const rows = await this.db.query("SELECT * FROM clients WHERE backchannel_logout_uri IS NOT NULL");
    return rows.map(clientFromRow);
  }

  count(): Promise<number> {
    return this.db.count("SELECT count(*) AS n FROM clients");
  }
}

function keyFromRow(r: Record<string, unknown>): SigningKeyRecord {
  return {
    kid: String(r.kid),
    privateJwk: String(r.private_jwk),
    publicJwk: String(r.public_jwk),
    createdAt: Number(r.created_at),
  };
}

export class PgKeys implements KeyStore {
  constructor(private readonly db: PgDb) {}

  async current(): Promise<SigningKeyRecord | undefined> {
    const r = (
      await this.db.query("SELECT * FROM signing_keys ORDER BY created_at DESC, kid DESC LIMIT 1")
    )[0];
    return r && keyFromRow(r);
  }

  async get(kid: string): Promise<SigningKeyRecord | undefined> {
    const r = (await this.db.query("SELECT * FROM signing_keys WHERE kid = $1", [kid]))[0];
    return r && keyFromRow(r);
  }

  async all(): Promise<SigningKeyRecord[]> {
    return (await this.db.query("SELECT * FROM signing_keys ORDER BY created_at DESC, kid DESC")).map(
      keyFromRow,
    );
  }

  async insert(k: SigningKeyRecord): Promise<void> {
    await this.db.query(
      "INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at) VALUES ($1, $2, $3, $4)",
      [k.kid, k.privateJwk, k.publicJwk, k.createdAt],
    );
  }
}
