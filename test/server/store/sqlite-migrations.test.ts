import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { openDatabase } from "../../../src/server/store/sqlite/driver.js";
import { SQLITE_MIGRATIONS } from "../../../src/server/store/sqlite/migrations.js";
import { SqliteStore } from "../../../src/server/store/sqlite/store.js";

// A file migrated by an earlier server (before the parity migration, and before 2911aed's index
// was added to an applied migration) opens, keeps its rows and ends with the current schema.

it("a file from before the parity migration is brought up to date, its rows kept", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "opcli-migrate-")), "s.db");
  const { db } = openDatabase(path);
  const before = SQLITE_MIGRATIONS.length - 1;
  for (const m of SQLITE_MIGRATIONS.slice(0, before)) db.exec(m);
  // As a file migrated before 2911aed: the address index was added to an applied migration later.
  db.exec("DROP INDEX sessions_remote_ip");
  db.exec(`PRAGMA user_version = ${before}`);
  db.prepare("INSERT INTO users (dn, username, password_hash, failed_logins) VALUES (?, ?, ?, ?)").run(
    "inum=1,ou=people,o=jans",
    "old-user",
    "hash",
    3,
  );
  db.close();

  const store = new SqliteStore({ path, searchWorkers: 0 });
  expect((await store.users.getByName("old-user"))?.dn).toBe("inum=1,ou=people,o=jans");
  await store.close();
  const { db: after } = openDatabase(path);
  const version = after.prepare("PRAGMA user_version").pluck().get();
  const indexes = after.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
  const userColumns = after.prepare("SELECT name FROM pragma_table_info('users')").pluck().all();
  after.close();
  expect(version).toBe(SQLITE_MIGRATIONS.length);
  expect(indexes).toEqual(
    expect.arrayContaining([
      "sessions_remote_ip",
      "sessions_last_used",
      "sessions_acr",
      "users_username_lower",
    ]),
  );
  expect(userColumns).not.toContain("failed_logins");
});
