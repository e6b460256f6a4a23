import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadNodeSqlite } from "../../../src/server/store/sqlite/node-driver.js";
import { SqliteStore } from "../../../src/server/store/sqlite/store.js";
import { storeContract } from "./contract.js";

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
// node:sqlite has all the store needs from 22.16 (and in 24); Node 20 has none.
const nodeSqlite = major > 22 || (major === 22 && minor >= 16);

describe("SQLite drivers on this Node", () => {
  it(`node:sqlite is ${nodeSqlite ? "" : "not "}usable on Node ${process.versions.node}`, () => {
    expect(loadNodeSqlite() !== undefined).toBe(nodeSqlite);
  });

  it("the default store uses node:sqlite where it is usable, else better-sqlite3", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    expect(store.driver).toBe(nodeSqlite ? "node:sqlite" : "better-sqlite3");
    await store.close();
  });
});

for (const driver of nodeSqlite ? ["node:sqlite", "better-sqlite3"] : ["better-sqlite3"])
  storeContract(
    `sqlite (file, ${driver})`,
    async () =>
      new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), "opcli-contract-")), "s.db"), driver }),
  );
