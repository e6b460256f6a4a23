import type { PgDb } from "./db.js";
import { PG_MIGRATIONS } from "./migrations.js";

/** One key for the whole database: instances starting together migrate one after the other. */
const MIGRATION_LOCK = 0x6f70636c69; // "opcli"

/**
 * Applies pending migrations (each in its own transaction) while holding a session advisory lock,
 * so two instances starting together never race; returns how many are still pending (0 after
 * applying). With apply false, only counts them.
 */
export async function migratePg(db: PgDb, apply: boolean): Promise<number> {
  const client = await db.pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    // A migration may build an index over millions of rows: no request's statement timeout here.
    await client.query("SET statement_timeout = 0");
    try {
      await client.query("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public");
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${db.schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${db.schema}.schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`,
      );
      const { rows } = await client.query(
        `SELECT coalesce(max(version), 0) AS v FROM ${db.schema}.schema_migrations`,
      );
      const current = Number(rows[0]?.v ?? 0);
      if (current > PG_MIGRATIONS.length)
        throw new Error(
          `the store is at schema version ${current}, newer than this server (${PG_MIGRATIONS.length})`,
        );
      if (!apply) return PG_MIGRATIONS.length - current;
      for (let v = current; v < PG_MIGRATIONS.length; v++) {
        await client.query("BEGIN");
        try {
          await client.query(PG_MIGRATIONS[v]!);
          await client.query(
            `INSERT INTO ${db.schema}.schema_migrations (version, applied_at) VALUES ($1, $2)`,
            [v + 1, Date.now()],
          );
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK");
          throw err;
        }
      }
      return 0;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
