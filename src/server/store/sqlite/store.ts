import { chmodSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { ensureDir } from "../../../platform/fs.js";
import { SqlRepositories } from "../sql/store.js";
import type { Store } from "../types.js";
import { SQLITE_DIALECT } from "./dialect.js";
import { openDatabase, type SqliteDriverName } from "./driver.js";
import { SqliteExecutor } from "./executor.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";
import { SearchPool } from "./search-pool.js";
import { sqliteSearch } from "./session-search.js";
import type { SqlDatabase } from "./sql-database.js";
import { StatementCache } from "./statements.js";

export interface SqliteStoreOptions {
  /** File path, or ":memory:". */
  path: string;
  /** A session search's limit (queue and run), ms: past it, StoreUnavailable (a 503). Default 5000. */
  searchTimeoutMs?: number;
  /** Worker threads searching a file database; 0 searches on the calling thread. */
  searchWorkers?: number;
  /** "node:sqlite" or "better-sqlite3" (OPCLI_SQLITE_DRIVER); default: node:sqlite where complete. */
  driver?: string;
}

/** One search thread per core beyond the one serving requests, at least one, at most two. */
const DEFAULT_SEARCH_WORKERS = Math.max(1, Math.min(2, availableParallelism() - 1));

/** A pragma's first value (db.pragma() would prepare a fresh statement each call). */
function pragma(sql: StatementCache, text: string): unknown {
  const st = sql.get(`PRAGMA ${text}`);
  if (!st.reader) {
    st.run();
    return undefined;
  }
  // Stepped to the end: some pragmas (incremental_vacuum) work one row at a time.
  return st.pluck().all()[0];
}

function migrate(db: SqlDatabase, sql: StatementCache): void {
  const current = pragma(sql, "user_version") as number;
  for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(SQLITE_MIGRATIONS[v]!);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec("COMMIT");
    } catch (err) {
      db.exec("ROLLBACK");
      throw err;
    }
  }
}

/** Freed pages go back to the file system in small steps (reclaim), never by a blocking VACUUM. */
function enableIncrementalVacuum(db: SqlDatabase, sql: StatementCache): void {
  if (pragma(sql, "auto_vacuum") === 2) return;
  db.exec("PRAGMA auto_vacuum = INCREMENTAL");
  // A store made before this setting needs one full VACUUM for it to take effect.
  if ((pragma(sql, "user_version") as number) > 0) db.exec("VACUUM");
}

/** The file opened, configured and migrated; its search threads started. */
function open(opts: SqliteStoreOptions) {
  if (opts.path !== ":memory:") ensureDir(dirname(opts.path));
  const { db, driver } = openDatabase(opts.path, opts.driver);
  if (opts.path !== ":memory:") chmodSync(opts.path, 0o600);
  // Every statement, pragmas included, goes through the cache: see StatementCache.
  const sql = new StatementCache(db);
  // Before anything else touches the file: auto_vacuum must precede the first page written.
  enableIncrementalVacuum(db, sql);
  for (const p of [
    "journal_mode = WAL",
    "journal_size_limit = 4194304",
    "synchronous = NORMAL",
    "busy_timeout = 5000",
    "foreign_keys = ON",
  ])
    pragma(sql, p);
  migrate(db, sql);
  const workers = opts.searchWorkers ?? DEFAULT_SEARCH_WORKERS;
  const searches =
    opts.path !== ":memory:" && workers > 0
      ? new SearchPool({
          path: opts.path,
          driver,
          workers,
          timeoutMs: opts.searchTimeoutMs ?? 5000,
          maxQueue: 64,
        })
      : undefined;
  return { db, driver, sql, searches, x: new SqliteExecutor(SQLITE_DIALECT, sql, db) };
}

/** The default store: one SQLite file in WAL mode, migrated on open. */
export class SqliteStore extends SqlRepositories implements Store {
  readonly kind = "sqlite";
  /** Which driver opened the file. */
  readonly driver: SqliteDriverName;
  private readonly db: SqlDatabase;
  private readonly sql: StatementCache;
  private readonly searches: SearchPool | undefined;

  constructor(opts: SqliteStoreOptions, opened = open(opts)) {
    super(opened.x, { search: sqliteSearch(opened.x, opened.searches) });
    this.db = opened.db;
    this.driver = opened.driver;
    this.sql = opened.sql;
    this.searches = opened.searches;
  }

  async healthy(): Promise<boolean> {
    try {
      return this.sql.get("SELECT 1 AS ok").pluck().get() === 1;
    } catch {
      return false;
    }
  }

  async reclaim(): Promise<boolean> {
    pragma(this.sql, "incremental_vacuum(256)");
    return (pragma(this.sql, "freelist_count") as number) > 0;
  }

  async close(): Promise<void> {
    await this.searches?.close();
    if (this.driver === "better-sqlite3") this.sql.retire();
    if (this.db.open) this.db.close();
  }
}
