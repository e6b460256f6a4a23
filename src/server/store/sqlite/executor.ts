import type { Row, SqlExecutor, StoreDialect, TxExecutor } from "../sql/executor.js";
import type { SqlDatabase } from "./sql-database.js";
import type { StatementCache } from "./statements.js";

/** Statements run at once, synchronously, on the one connection. */
class Direct implements TxExecutor {
  constructor(
    readonly dialect: StoreDialect,
    protected readonly sql: StatementCache,
  ) {}
  all(sql: string, params: readonly unknown[] = []): Row[] | Promise<Row[]> {
    return this.sql.get(sql).all(...params) as Row[];
  }
  get(sql: string, params: readonly unknown[] = []): Row | undefined | Promise<Row | undefined> {
    return this.sql.get(sql).get(...params) as Row | undefined;
  }
  run(sql: string, params: readonly unknown[] = []): number | Promise<number> {
    return this.sql.get(sql).run(...params).changes;
  }
  lock(): void {}
}

/**
 * The SQLite executor: while a transaction is open (its body may await), statements from outside
 * it wait for its end, so nothing else joins it on the shared connection; otherwise they run at once.
 */
export class SqliteExecutor extends Direct implements SqlExecutor {
  private open: Promise<void> | undefined;
  private readonly inside: Direct;

  constructor(
    dialect: StoreDialect,
    sql: StatementCache,
    private readonly db: SqlDatabase,
  ) {
    super(dialect, sql);
    this.inside = new Direct(dialect, sql);
  }

  override all(sql: string, params?: readonly unknown[]): Row[] | Promise<Row[]> {
    return this.open ? this.open.then(() => this.all(sql, params)) : super.all(sql, params);
  }
  override get(sql: string, params?: readonly unknown[]): Row | undefined | Promise<Row | undefined> {
    return this.open ? this.open.then(() => this.get(sql, params)) : super.get(sql, params);
  }
  override run(sql: string, params?: readonly unknown[]): number | Promise<number> {
    return this.open ? this.open.then(() => this.run(sql, params)) : super.run(sql, params);
  }

  async tx<T>(fn: (x: TxExecutor) => Promise<T>): Promise<T> {
    while (this.open) await this.open;
    let end = () => {};
    this.open = new Promise<void>((resolve) => {
      end = resolve;
    });
    try {
      // IMMEDIATE takes the write lock before the first read, so decisions hold across processes.
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const out = await fn(this.inside);
        this.db.exec("COMMIT");
        return out;
      } catch (err) {
        // SQLite may have rolled back already (a full disk, an interrupt): the first error is the one to tell.
        try {
          this.db.exec("ROLLBACK");
        } catch {}
        throw err;
      }
    } finally {
      this.open = undefined;
      end();
    }
  }
}
