import { describe, expect, it } from "vitest";
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
    ins.run({ a: 1, b: "x", extra: "ignored" });
    ins.run({ a: 2, b: "y" });
    const count = db.prepare("SELECT count(*) FROM t");
    expect(count.reader).toBe(true);
    expect(count.pluck().get()).toBe(2);
    expect(db.prepare("SELECT a FROM t WHERE b > ? ORDER BY a").pluck().all("a")).toEqual([1, 2]);
    db.close();
    expect(db.open).toBe(false);
  });
});
