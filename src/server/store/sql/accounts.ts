import { CLIENTS, SIGNING_KEYS, USERS } from "../rows.js";
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
import { mapped, type Row, type SqlExecutor } from "./executor.js";

// Users, OAuth clients and signing keys.

const count = async (x: SqlExecutor, sql: string, params?: unknown[]) =>
  Number((await x.get(sql, params))?.n ?? 0);

/** What an update of a client may change (its secret, type and scopes never change). */
const CLIENT_CHANGES: readonly (keyof ClientChanges)[] = [
  "backchannelLogoutUri",
  "backchannelLogoutSessionRequired",
  "redirectUris",
  "postLogoutRedirectUris",
];

const USER_WHERE: Record<UserAttribute, string> = {
  uid: "username = ?",
  mail: "email = ?",
  dn: "dn = ?",
  inum: "dn = 'inum=' || ? || ',ou=people,o=jans'",
};

export class SqlUsers implements UserStore {
  constructor(private readonly x: SqlExecutor) {}

  async getByName(username: string): Promise<UserRecord | undefined> {
    return this.findBy("uid", username);
  }

  async getByDn(dn: string): Promise<UserRecord | undefined> {
    return this.findBy("dn", dn);
  }

  async insert(u: UserRecord): Promise<void> {
    const ins = USERS.insert(u);
    await this.x.run(ins.sql, ins.values);
  }

  async findBy(attribute: UserAttribute, value: string): Promise<UserRecord | undefined> {
    const r = await this.x.get(`SELECT * FROM users WHERE ${USER_WHERE[attribute]}`, [value]);
    return r && USERS.fromRow(r);
  }

  async setDisabled(dn: string, disabled: boolean): Promise<boolean> {
    return (await this.x.run("UPDATE users SET disabled = ? WHERE dn = ?", [disabled ? 1 : 0, dn])) > 0;
  }

  async setPassword(dn: string, passwordHash: string, changedAt: number): Promise<boolean> {
    const sql = "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE dn = ?";
    return (await this.x.run(sql, [passwordHash, changedAt, dn])) > 0;
  }

  async list(q: { offset: number; limit: number; search?: string }) {
    const params: unknown[] = [];
    const where = q.search
      ? `WHERE ${this.x.dialect.contains("lower(username)", params, q.search.toLowerCase())}`
      : "";
    const total = await count(this.x, `SELECT count(*) AS n FROM users ${where}`, params);
    const rows = await this.x.all(`SELECT * FROM users ${where} ORDER BY username LIMIT ? OFFSET ?`, [
      ...params,
      q.limit,
      q.offset,
    ]);
    return { total, entries: rows.map(USERS.fromRow) };
  }

  count(): Promise<number> {
    return count(this.x, "SELECT count(*) AS n FROM users");
  }
}

export class SqlClients implements ClientStore {
  constructor(private readonly x: SqlExecutor) {}

  async get(clientId: string): Promise<ClientRecord | undefined> {
    return mapped(
      this.x.get("SELECT * FROM clients WHERE client_id = ?", [clientId]),
      (r) => r && CLIENTS.fromRow(r),
    );
  }

  async insert(c: ClientRecord): Promise<void> {
    const ins = CLIENTS.insert(c);
    await this.x.run(ins.sql, ins.values);
  }

  async update(clientId: string, changes: ClientChanges): Promise<ClientRecord | undefined> {
    const sets = CLIENTS.sets(changes, CLIENT_CHANGES);
    if (sets.values.length === 0) return this.get(clientId);
    const r = await this.x.get(`UPDATE clients SET ${sets.sql} WHERE client_id = ? RETURNING *`, [
      ...sets.values,
      clientId,
    ]);
    return r && CLIENTS.fromRow(r);
  }

  async withBackchannel(): Promise<ClientRecord[]> {
    return (await this.x.all("SELECT * FROM clients WHERE backchannel_logout_uri IS NOT NULL")).map(
      CLIENTS.fromRow,
    );
  }

  count(): Promise<number> {
    return count(this.x, "SELECT count(*) AS n FROM clients");
  }
}

const keyOf = (r: Row | undefined) => r && SIGNING_KEYS.fromRow(r);

export class SqlKeys implements KeyStore {
  constructor(private readonly x: SqlExecutor) {}

  async current(): Promise<SigningKeyRecord | undefined> {
    return mapped(this.x.get("SELECT * FROM signing_keys ORDER BY created_at DESC, kid DESC LIMIT 1"), keyOf);
  }

  async get(kid: string): Promise<SigningKeyRecord | undefined> {
    return mapped(this.x.get("SELECT * FROM signing_keys WHERE kid = ?", [kid]), keyOf);
  }

  async all(): Promise<SigningKeyRecord[]> {
    return (await this.x.all("SELECT * FROM signing_keys ORDER BY created_at DESC, kid DESC")).map(
      SIGNING_KEYS.fromRow,
    );
  }

  async insert(k: SigningKeyRecord): Promise<void> {
    const ins = SIGNING_KEYS.insert(k);
    await this.x.run(ins.sql, ins.values);
  }
}
