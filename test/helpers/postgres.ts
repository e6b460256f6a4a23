import { randomBytes } from "node:crypto";
import pg from "pg";
import { PgStore, type PgStoreOptions } from "../../src/server/store/postgres/store.js";
import { sharedClusterUrl } from "./postgres-shared.js";

// PostgreSQL for tests: the cluster npm test started (OPCLI_TEST_PG_URL), or else this run's own,
// which the global teardown stops. Never skipped: without PostgreSQL these tests fail, saying why.

let own: Promise<string> | undefined;

export function pgServerUrl(): Promise<string> {
  const url = process.env.OPCLI_TEST_PG_URL;
  if (url) return Promise.resolve(url);
  own ??= sharedClusterUrl().catch((err: Error) => {
    throw new Error(`PostgreSQL is needed for this test and none could be started: ${err.message}`);
  });
  return own;
}

const name = (prefix: string) => `${prefix}_${randomBytes(6).toString("hex")}`;

/** A store in a schema of its own on the shared cluster. */
export async function openTestPgStore(opts: Partial<PgStoreOptions> = {}): Promise<PgStore> {
  return PgStore.open({ url: await pgServerUrl(), schema: name("t"), poolSize: 4, ...opts });
}

/** A database of its own (for server processes, which take a URL): its URL. */
export async function createTestDatabase(): Promise<string> {
  const server = await pgServerUrl();
  const db = name("opcli");
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${db}`);
  } finally {
    await c.end();
  }
  const u = new URL(server);
  u.pathname = `/${db}`;
  return u.toString();
}

/** One query on a database, outside any store (to inspect what instances wrote). */
export async function pgQuery(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}
