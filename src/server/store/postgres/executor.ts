import type { Row, SqlExecutor, StoreDialect, TxExecutor } from "../sql/executor.js";
import { numbered, type PgDb, type Queryable } from "./db.js";

/** `?` placeholders numbered once per statement text. */
class Numbering {
  private readonly texts = new Map<string, string>();
  of(sql: string): string {
    let text = this.texts.get(sql);
    if (text === undefined) {
      text = numbered(sql);
      this.texts.set(sql, text);
    }
    return text;
  }
}

/** Statements on one transaction's connection. */
class InTx implements TxExecutor {
  constructor(
    readonly dialect: StoreDialect,
    private readonly c: Queryable,
    private readonly n: Numbering,
  ) {}
  async all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.c.query(this.n.of(sql), [...params])).rows;
  }
  async get(sql: string, params?: readonly unknown[]): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }
  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.c.query(this.n.of(sql), [...params])).rowCount ?? 0;
  }
  async lock(key: string): Promise<void> {
    await this.c.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [key]);
  }
}

/** The PostgreSQL executor: statements on the pool, transactions on one connection each. */
export class PgExecutor implements SqlExecutor {
  private readonly n = new Numbering();
  constructor(
    readonly dialect: StoreDialect,
    private readonly db: PgDb,
  ) {}
  all(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.db.query(this.n.of(sql), [...params]);
  }
  async get(sql: string, params?: readonly unknown[]): Promise<Row | undefined> {
    return (await this.all(sql, params))[0];
  }
  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.db.run(this.n.of(sql), [...params]);
  }
  tx<T>(fn: (x: TxExecutor) => Promise<T>): Promise<T> {
    return this.db.tx((c) => fn(new InTx(this.dialect, c, this.n)));
  }
}
