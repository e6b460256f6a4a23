import pg from "pg";
import type { Row, SqlExecutor, TxExecutor } from "../sql/executor.js";
import { StoreUnavailable } from "../types.js";
import { PG_DIALECT } from "./dialect.js";

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

/** Renumbers `?` placeholders as $1, $2, ... (our SQL text never holds a literal question mark). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Statements on one transaction's connection. */
class InTx implements TxExecutor {
  readonly dialect = PG_DIALECT;
  constructor(
    private readonly c: pg.PoolClient,
    private readonly named: (sql: string, params: readonly unknown[]) => pg.QueryConfig,
  ) {}
  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.c.query<Row>(this.named(sql, params))).rows;
  }
  async get(sql: string, params?: readonly unknown[]): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }
  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.c.query(this.named(sql, params))).rowCount ?? 0;
  }
  async lock(key: string): Promise<void> {
    await this.c.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key]);
  }
}

/** The PostgreSQL executor: statements on the pool, transactions on one connection each. */
export class PgDb implements SqlExecutor {
  readonly dialect = PG_DIALECT;
  readonly pool: pg.Pool;
  readonly schema: string;
  // The statement shapes are few (SQL is parameterised), so the names stay bounded.
  private readonly names = new Map<string, { name: string; text: string }>();

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

  /** A name per SQL text, its placeholders numbered: each connection parses and plans a statement once, then only binds it. */
  private readonly named = (sql: string, values: readonly unknown[]): pg.QueryConfig => {
    let known = this.names.get(sql);
    if (!known) {
      known = { name: `opcli_${this.names.size}`, text: numbered(sql) };
      this.names.set(sql, known);
    }
    return { ...known, values: [...values] };
  };

  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query<Row>(this.named(sql, params))).rows;
    } catch (err) {
      throw translate(err);
    }
  }

  async get(sql: string, params?: readonly unknown[]): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    try {
      return (await this.pool.query(this.named(sql, params))).rowCount ?? 0;
    } catch (err) {
      throw translate(err);
    }
  }

  /** Runs fn in one transaction, again (up to 5 times) on a serialisation failure or deadlock. */
  async tx<T>(fn: (x: TxExecutor) => Promise<T>): Promise<T> {
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
        const out = await fn(new InTx(client, this.named));
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
