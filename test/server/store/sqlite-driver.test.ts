import { describe, expect, it } from "vitest";
import type { SqliteDriverName } from "../../../src/server/store/sqlite/driver.js";
import { chooseDriver, openDatabase, SqliteDriverMissing } from "../../../src/server/store/sqlite/driver.js";

describe("chooseDriver", () => {
  const both = { "node:sqlite": true, "better-sqlite3": true };
  const nodeOnly = { "node:sqlite": true, "better-sqlite3": false };
  const betterOnly = { "node:sqlite": false, "better-sqlite3": true };
  const none = { "node:sqlite": false, "better-sqlite3": false };
  it.each([
    [undefined, both, "node:sqlite"],
    [undefined, nodeOnly, "node:sqlite"],
    [undefined, betterOnly, "better-sqlite3"],
    [undefined, none, undefined],
    ["better-sqlite3", both, "better-sqlite3"],
    ["better-sqlite3", nodeOnly, undefined],
    ["node:sqlite", betterOnly, undefined],
    ["node:sqlite", both, "node:sqlite"],
  ] as const)("wanted %s with %o: %s", (wanted, has, expected) => {
    expect(chooseDriver(wanted, has)).toBe(expected);
  });
});

describe("openDatabase", () => {
  it("names an unknown driver in one line", () => {
    expect(() => openDatabase(":memory:", "sqlite4")).toThrow(SqliteDriverMissing);
    expect(() => openDatabase(":memory:", "sqlite4")).toThrow(/^unknown SQLite driver "sqlite4"/);
  });

  it("opens and runs SQL with whichever driver it picks", () => {
    const { db } = openDatabase(":memory:");
    db.exec("CREATE TABLE t (a INTEGER, b TEXT)");
    const ins = db.prepare("INSERT INTO t (a, b) VALUES (:a, :b)");
    expect(ins.reader).toBe(false);
    db.transaction(() => {
      ins.run({ a: 1, b: "x", extra: "ignored" });
      ins.run({ a: 2, b: "y" });
    })();
    expect(() =>
      db
        .transaction(() => {
          ins.run({ a: 3, b: "z" });
          throw new Error("rolled back");
        })
        .immediate(),
    ).toThrow("rolled back");
    const count = db.prepare("SELECT count(*) FROM t");
    expect(count.reader).toBe(true);
    expect(count.pluck().get()).toBe(2);
    expect(db.prepare("SELECT a FROM t WHERE b > ? ORDER BY a").pluck().all("a")).toEqual([1, 2]);
    db.close();
    expect(db.open).toBe(false);
  });
});

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

describe.each(usable())("transactions on %s", (driver) => {
  it("a nested transaction is a savepoint: its failure undoes only its own writes", () => {
    const { db } = openDatabase(":memory:", driver);
    db.exec("CREATE TABLE t (a INTEGER)");
    const ins = db.prepare("INSERT INTO t (a) VALUES (?)");
    db.transaction(() => {
      ins.run(1);
      expect(() =>
        db.transaction(() => {
          ins.run(2);
          throw new Error("inner");
        })(),
      ).toThrow("inner");
      ins.run(3);
    }).immediate();
    expect(db.prepare("SELECT a FROM t ORDER BY a").pluck().all()).toEqual([1, 3]);
    db.close();
  });
});
