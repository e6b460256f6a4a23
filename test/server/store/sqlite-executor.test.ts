import { describe, expect, it } from "vitest";
import { SQLITE_DIALECT } from "../../../src/server/store/sqlite/dialect.js";
import { openDatabase, type SqliteDriverName } from "../../../src/server/store/sqlite/driver.js";
import { SqliteExecutor } from "../../../src/server/store/sqlite/executor.js";
import { StatementCache } from "../../../src/server/store/sqlite/statements.js";

/** The drivers that open on this Node (node:sqlite from 22.16; better-sqlite3 when built for it). */
function usable(): SqliteDriverName[] {
  return (["node:sqlite", "better-sqlite3"] as const).filter((d) => {
    try {
      openDatabase(":memory:", d).db.close();
      return true;
    } catch {
      return false;
    }
  });
}

function executor(driver: SqliteDriverName) {
  const { db } = openDatabase(":memory:", driver);
  db.exec("CREATE TABLE t (a INTEGER)");
  return { db, x: new SqliteExecutor(SQLITE_DIALECT, new StatementCache(db), db) };
}

/** A promise and the function that settles it. */
function gate() {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe.each(usable())("the SQLite executor on %s", (driver) => {
  it("answers outside a transaction at once, without a promise", () => {
    const { db, x } = executor(driver);
    expect(x.run("INSERT INTO t (a) VALUES (?)", [1])).toBe(1);
    expect(x.get("SELECT a FROM t")).toEqual({ a: 1 });
    db.close();
  });

  it("holds a statement from outside an open transaction until it ends, so a rollback does not take it", async () => {
    const { db, x } = executor(driver);
    const g = gate();
    const failing = x.tx(async (t) => {
      await t.run("INSERT INTO t (a) VALUES (?)", [1]);
      await g.wait;
      throw new Error("rolled back");
    });
    const outside = x.run("INSERT INTO t (a) VALUES (?)", [2]);
    expect(outside).toBeInstanceOf(Promise);
    g.open();
    await expect(failing).rejects.toThrow("rolled back");
    expect(await outside).toBe(1);
    expect(x.all("SELECT a FROM t ORDER BY a")).toEqual([{ a: 2 }]);
    db.close();
  });

  it("runs transactions one after another: each sees what the one before committed", async () => {
    const { db, x } = executor(driver);
    const next = () =>
      x.tx(async (t) => {
        const n = Number((await t.get("SELECT count(*) AS n FROM t"))?.n);
        await Promise.resolve();
        await t.run("INSERT INTO t (a) VALUES (?)", [n]);
      });
    await Promise.all(Array.from({ length: 5 }, next));
    expect(x.all("SELECT a FROM t ORDER BY a")).toEqual([0, 1, 2, 3, 4].map((a) => ({ a })));
    db.close();
  });
});
