import type { SqlDatabase, SqlStatement } from "./sql-database.js";

/**
 * Compiles SQL once per text (search SQL varies only by which filters are present), and keeps
 * every statement for the database's life: a better-sqlite3 12 Statement finalised by the garbage
 * collector aborts Node >= 24.19 (its ObjectWrap destructor CHECKs for an Environment that an idle
 * GC does not have), and 13, which fixes it, crashes on Node 20. The shapes are few (the SQL is
 * parameterised), so holding them all is bounded.
 */
/** Statements of closed databases, still referenced for the same reason (never collected). */
const retired: SqlStatement[][] = [];

export class StatementCache {
  private readonly cache = new Map<string, SqlStatement>();
  constructor(private readonly db: SqlDatabase) {}

  /** The database is closing: its statements stay referenced (a few hundred bytes each) for the process's life. */
  retire(): void {
    retired.push([...this.cache.values()]);
  }

  get(sql: string): SqlStatement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  get size(): number {
    return this.cache.size;
  }
}
