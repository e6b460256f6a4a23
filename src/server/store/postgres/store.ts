import { SqlRepositories } from "../sql/store.js";
import type { Store } from "../types.js";
import { PgDb, type PgOptions } from "./db.js";
import { migratePg } from "./migrate.js";
import { pgSessionParts } from "./session-parts.js";

export interface PgStoreOptions extends PgOptions {
  /** Keep trying to reach the database at start-up for this long, ms (0: one try). */
  connectRetryMs?: number;
  /** Apply pending migrations on open (the default); false refuses a store that needs them. */
  migrate?: boolean;
  /** Waits between connection attempts (injected so tests need not sleep). */
  sleep?: (ms: number) => Promise<void>;
}

/** Several instances on one database: every rule is decided inside PostgreSQL, nothing cached per instance. */
export class PgStore extends SqlRepositories implements Store {
  readonly kind = "postgresql";

  private constructor(readonly db: PgDb) {
    super(db, pgSessionParts(db));
  }

  /** Connects (retrying while the database starts), migrates under an advisory lock, and opens. */
  static async open(opts: PgStoreOptions): Promise<PgStore> {
    const db = new PgDb(opts);
    try {
      await waitForDatabase(db, opts.connectRetryMs ?? 0, opts.sleep);
      const pending = await migratePg(db, opts.migrate !== false);
      if (pending > 0) throw new Error(`the store needs ${pending} migration(s): run opcli-server migrate`);
      return new PgStore(db);
    } catch (err) {
      await db.close().catch(() => {});
      throw err;
    }
  }

  async healthy(): Promise<boolean> {
    try {
      return (await this.db.get("SELECT 1 AS ok"))?.ok === 1;
    } catch {
      return false;
    }
  }

  /** PostgreSQL's autovacuum reclaims space by itself. */
  async reclaim(): Promise<boolean> {
    return false;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

async function waitForDatabase(
  db: PgDb,
  retryMs: number,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
): Promise<void> {
  const deadline = Date.now() + retryMs;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      await db.all("SELECT 1");
      return;
    } catch (err) {
      if (Date.now() + wait > deadline) throw err;
      await sleep(wait);
    }
  }
}
