import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SessionExpr } from "../../../src/server/store/query.js";
import { SqliteStore } from "../../../src/server/store/sqlite/store.js";
import { type SessionQuery, StoreUnavailable } from "../../../src/server/store/types.js";
import { session } from "./contract.js";

// An expensive search on a SQLite file runs in a worker thread, never on the event loop, and is
// bounded in time as PostgreSQL's statement_timeout bounds it there.

const T0 = Date.UTC(2026, 5, 1, 12);
const opened: SqliteStore[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** A filled file store, and the path to open it again. */
async function filled(n: number): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), "opcli-search-pool-")), "s.db");
  const store = new SqliteStore({ path, searchWorkers: 0 });
  for (let done = 0; done < n; done += 5000)
    await store.sessions.insertMany(
      Array.from({ length: 5000 }, (_, i) => session({ userDn: `inum=user${done + i},ou=people,o=jans` })),
    );
  await store.close();
  return path;
}

// The worst case a 4 KB filter can ask: hundreds of substring terms, each tested on every row.
const expensive: SessionQuery = {
  now: T0,
  filters: [],
  pattern: "",
  sortBy: "creationDate",
  descending: false,
  offset: 0,
  limit: 10,
  expr: {
    kind: "or",
    items: Array.from(
      { length: 300 },
      (_, i): SessionExpr => ({
        kind: "cmp",
        field: "userId",
        op: "co",
        value: `zq${i}x`,
      }),
    ).concat([{ kind: "cmp", field: "realm", op: "eq", value: "/" }]),
  },
};

const open = (path: string, opts: Partial<ConstructorParameters<typeof SqliteStore>[0]> = {}) => {
  const s = new SqliteStore({ path, ...opts });
  opened.push(s);
  return s;
};

describe("SQLite searches off the event loop", () => {
  it("four expensive searches in parallel: the event loop turns before any answers, and the answers are the inline ones", async () => {
    const path = await filled(20_000);
    const store = open(path);
    let answered = 0;
    const searches = Array.from({ length: 4 }, () =>
      store.sessions.search(expensive).then((page) => {
        answered++;
        return page;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(0);
    const pages = await Promise.all(searches);
    const inline = await open(path, { searchWorkers: 0 }).sessions.search(expensive);
    expect(inline.total).toBe(20_000);
    for (const p of pages) expect(p).toEqual(inline);
  });

  it("a search past its time limit is refused as StoreUnavailable (a 503), and the store still works", async () => {
    const path = await filled(20_000);
    const store = open(path, { searchTimeoutMs: 1 });
    await expect(store.sessions.search(expensive)).rejects.toBeInstanceOf(StoreUnavailable);
    expect(await store.sessions.count()).toBe(20_000);
    expect(await store.healthy()).toBe(true);
  });
});
