import { chmodSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { ensureDir } from "../../../platform/fs.js";
import type { Store } from "../types.js";
import { SqliteClients, SqliteKeys, SqliteUsers } from "./accounts.js";
import { SqliteAlarms } from "./alarms.js";
import { SqliteAuthorizationCodes } from "./codes.js";
import { openDatabase, type SqliteDriverName } from "./driver.js";
import { SqliteEvents } from "./events.js";
import { SqliteDeviceCodes, SqliteRefreshTokens, SqliteRevocations } from "./grants.js";
import { SqliteLoginAttempts } from "./login-attempts.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";
import { SqliteOutbox, SqliteStreams } from "./outbox.js";
import { SearchPool } from "./search-pool.js";
import { SqliteSessions } from "./sessions.js";
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

/** The default store: one SQLite file in WAL mode, migrated on open. */
export class SqliteStore implements Store {
  readonly kind = "sqlite";
  readonly sessions: SqliteSessions;
  readonly users: SqliteUsers;
  readonly loginAttempts: SqliteLoginAttempts;
  readonly clients: SqliteClients;
  readonly keys: SqliteKeys;
  readonly deviceCodes: SqliteDeviceCodes;
  readonly refreshTokens: SqliteRefreshTokens;
  readonly revocations: SqliteRevocations;
  readonly authorizationCodes: SqliteAuthorizationCodes;
  readonly events: SqliteEvents;
  readonly alarms: SqliteAlarms;
  /** Which driver opened the file. */
  readonly driver: SqliteDriverName;
  private readonly db: SqlDatabase;
  readonly outbox: SqliteOutbox;
  readonly streams: SqliteStreams;

  private readonly sql: StatementCache;
  private readonly searches: SearchPool | undefined;

  constructor(opts: SqliteStoreOptions) {
    if (opts.path !== ":memory:") ensureDir(dirname(opts.path));
    const opened = openDatabase(opts.path, opts.driver);
    this.db = opened.db;
    this.driver = opened.driver;
    if (opts.path !== ":memory:") chmodSync(opts.path, 0o600);
    // Every statement, pragmas included, goes through the cache: see StatementCache.
    this.sql = new StatementCache(this.db);
    // Before anything else touches the file: auto_vacuum must precede the first page written.
    this.enableIncrementalVacuum();
    for (const p of [
      "journal_mode = WAL",
      "journal_size_limit = 4194304",
      "synchronous = NORMAL",
      "busy_timeout = 5000",
      "foreign_keys = ON",
    ])
      this.pragma(p);
    this.migrate();
    const sql = this.sql;
    const workers = opts.searchWorkers ?? DEFAULT_SEARCH_WORKERS;
    this.searches =
      opts.path !== ":memory:" && workers > 0
        ? new SearchPool({
            path: opts.path,
            driver: this.driver,
            workers,
            timeoutMs: opts.searchTimeoutMs ?? 5000,
            maxQueue: 64,
          })
        : undefined;
    this.sessions = new SqliteSessions(this.db, sql, this.searches);
    this.users = new SqliteUsers(sql);
    this.loginAttempts = new SqliteLoginAttempts(this.db, sql);
    this.clients = new SqliteClients(sql);
    this.keys = new SqliteKeys(sql);
    this.deviceCodes = new SqliteDeviceCodes(sql);
    this.refreshTokens = new SqliteRefreshTokens(sql);
    this.revocations = new SqliteRevocations(sql);
    this.authorizationCodes = new SqliteAuthorizationCodes(sql);
    this.events = new SqliteEvents(sql);
    this.alarms = new SqliteAlarms(sql);
    this.outbox = new SqliteOutbox(this.db, sql);
    this.streams = new SqliteStreams(sql);
  }

  /** A pragma's first value (db.pragma() would prepare a fresh statement each call). */
  private pragma(text: string): unknown {
    const st = this.sql.get(`PRAGMA ${text}`);
    if (!st.reader) {
      st.run();
      return undefined;
    }
    // Stepped to the end: some pragmas (incremental_vacuum) work one row at a time.
    return st.pluck().all()[0];
  }

  private migrate(): void {
    const current = this.pragma("user_version") as number;
    for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(SQLITE_MIGRATIONS[v]!);
        this.db.exec(`PRAGMA user_version = ${v + 1}`);
      })();
    }
  }

  /** Freed pages go back to the file system in small steps (reclaim), never by a blocking VACUUM. */
  private enableIncrementalVacuum(): void {
    if (this.pragma("auto_vacuum") === 2) return;
    this.db.exec("PRAGMA auto_vacuum = INCREMENTAL");
    // A store made before this setting needs one full VACUUM for it to take effect.
    if ((this.pragma("user_version") as number) > 0) this.db.exec("VACUUM");
  }

  async healthy(): Promise<boolean> {
    try {
      return this.sql.get("SELECT 1 AS ok").pluck().get() === 1;
    } catch {
      return false;
    }
  }

  async reclaim(): Promise<boolean> {
    this.pragma("incremental_vacuum(256)");
    return (this.pragma("freelist_count") as number) > 0;
  }

  async close(): Promise<void> {
    await this.searches?.close();
    if (this.driver === "better-sqlite3") this.sql.retire();
    if (this.db.open) this.db.close();
  }
}
