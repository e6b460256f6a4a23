import pg from "pg";
import { StoreUnavailable } from "../types.js";

// One pool per store: every query goes through `query` or `tx`, which turn a lost or refused
// connection into StoreUnavailable (503) and retry serialisation failures and deadlocks.

export interface PgOptions {
  /** postgresql://user@host:port/db */
  url: string;
  /** Tables live in this schema (created if missing); "public" by default. */
  schema?: string;
  /** Connections in the pool. */
  poolSize?: number;
  /** Any statement running longer is cancelled, ms (0: no limit). */
  statementTimeoutMs?: number;
  /** How long a request waits for a free connection before the store is unavailable, ms. */
  connectTimeoutMs?: number;
}

/** SQLSTATE classes and codes that mean "the database is not there now", not "the request is wrong". */
const UNAVAILABLE_CODES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "57014",
  "08000",
  "08003",
  "08006",
  "08001",
  "08004",
]);
const UNAVAILABLE_ERRNO = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
]);
const RETRYABLE = new Set(["40001", "40P01"]);

function isUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e.code && (UNAVAILABLE_CODES.has(e.code) || UNAVAILABLE_ERRNO.has(e.code))) return true;
  // node-postgres reports a dropped socket and a pool wait timeout by message only.
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
    e.message ?? "",
  );
}

function translate(err: unknown): Error {
  if (err instanceof StoreUnavailable) return err;
  if (isUnavailable(err)) return new StoreUnavailable(`PostgreSQL unavailable: ${(err as Error).message}`);
  return err as Error;
}

/** BIGINT (epoch milliseconds, counts) as numbers: every value we store fits in 2^53. */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === 20 && format !== "binary") return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

export type Row = Record<string, unknown>;
export type Queryable = { query(sql: string, params?: unknown[]): Promise<pg.QueryResult<Row>> };

/** Renumbers `?` placeholders as $1, $2, ... (our SQL text never holds a literal question mark). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export class PgDb {
  readonly pool: pg.Pool;
  readonly schema: string;
  // The statement shapes are few (SQL is parameterised), so the names stay bounded.
  private readonly names = new Map<string, string>();

  constructor(opts: PgOptions) {
    this.schema = opts.schema ?? "public";
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema)) throw new Error(`invalid schema name "${this.schema}"`);
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
      types,
      options: `-c search_path=${this.schema},public${opts.statementTimeoutMs ? ` -c statement_timeout=${opts.statementTimeoutMs}` : ""}`,
    });
    // An idle connection dropped by a restarting server must not crash the process; the next
    // query opens a new one.
    this.pool.on("error", () => {});
  }

  /** A name per SQL text: each connection parses and plans a statement once, then only binds it. */
  private named(text: string, values: unknown[]): pg.QueryConfig {
    let name = this.names.get(text);
    if (!name) {
      name = `opcli_${this.names.size}`;
      this.names.set(text, name);
    }
    return { name, text, values };
  }

  async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(this.named(sql, params))).rows;
    } catch (err) {
      throw translate(err);
    }
  }

  /** The `n` of a one-row count. */
  async count(sql: string, params: unknown[] = []): Promise<number> {
    return Number((await this.query(sql, params))[0]?.n ?? 0);
  }

  /** Rows a write changed (its RETURNING 1 rows, or rowCount). */
  async run(sql: string, params: unknown[] = []): Promise<number> {
    try {
      return (await this.pool.query(this.named(sql, params))).rowCount ?? 0;
    } catch (err) {
      throw translate(err);
    }
  }

  /** Runs fn in one transaction, again (up to 5 times) on a serialisation failure or deadlock. */
  async tx<T>(fn: (c: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (err) {
        throw translate(err);
      }
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const out = await fn({ query: (sql, params = []) => client.query<Row>(this.named(sql, params)) });
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch((e: Error) => {
          broken = e;
        });
        const code = (err as { code?: string }).code;
        if (code && RETRYABLE.has(code) && attempt < 5) continue;
        throw translate(err);
      } finally {
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
