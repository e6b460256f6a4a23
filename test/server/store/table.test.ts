import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLIENTS, SESSION_EVENTS } from "../../../src/server/store/rows.js";
import type { Row } from "../../../src/server/store/sql/executor.js";
import { bool, json, num, optNum, optStr, str, table, words } from "../../../src/server/store/table.js";
import type { ClientRecord } from "../../../src/server/store/types.js";

// A table written once gives its row mapping, INSERT and SET list: what is written reads back.

/** The row a database would hand back for an INSERT's values (PostgreSQL: booleans as booleans). */
function rowOf(sql: string, values: unknown[], booleans = false): Row {
  const columns = /\(([^)]*)\) VALUES/.exec(sql)?.[1]?.split(", ") ?? [];
  expect(columns).toHaveLength(values.length);
  return Object.fromEntries(
    columns.map((c, i) => [
      c,
      booleans && (values[i] === 0 || values[i] === 1) ? values[i] === 1 : values[i],
    ]),
  );
}

interface Thing {
  id: number;
  name: string;
  note: string | null;
  seen: number | null;
  on: boolean;
  tags: string[];
  data: Record<string, string>;
}

const THINGS = table<Thing, "id">(
  "things",
  {
    id: num("id"),
    name: str("name"),
    note: optStr("note"),
    seen: optNum("seen"),
    on: bool("is_on"),
    tags: words("tags"),
    data: json("data"),
  },
  ["id"],
);

const word = fc.stringMatching(/^[a-z0-9_.-]{1,8}$/);
const thing = fc.record({
  name: fc.string(),
  note: fc.option(fc.string(), { nil: null }),
  seen: fc.option(fc.integer(), { nil: null }),
  on: fc.boolean(),
  tags: fc.array(word, { maxLength: 4 }),
  data: fc.dictionary(word, fc.string()),
});

describe("table", () => {
  it("reads back what it wrote, in either dialect's row shape", () => {
    fc.assert(
      fc.property(thing, fc.integer({ min: 1 }), fc.boolean(), (t, id, pg) => {
        const ins = THINGS.insert(t);
        expect(ins.sql).toMatch(
          /^INSERT INTO things \(name, note, seen, is_on, tags, data\) VALUES \(\?(, \?){5}\)$/,
        );
        expect(THINGS.fromRow({ ...rowOf(ins.sql, ins.values, pg), id })).toEqual({ ...t, id });
      }),
    );
  });

  it.each([
    ["one field", { on: true }, "is_on = ?", [1]],
    ["two, in the table's order", { tags: ["a", "b"], name: "n" }, "name = ?, tags = ?", ["n", "a b"]],
    ["a null is written", { note: null }, "note = ?", [null]],
    ["undefined is left alone", { note: undefined, seen: 3 }, "seen = ?", [3]],
    ["nothing", {}, "", []],
    ["a field not allowed is ignored", { id: 7, name: "n" }, "name = ?", ["n"]],
    ["prototype names are no fields", JSON.parse('{"__proto__": {"on": true}, "constructor": 1}'), "", []],
  ] as const)("sets: %s", (_, changes, sql, values) => {
    const allowed: (keyof Thing)[] = ["name", "note", "seen", "on", "tags", "data"];
    expect(THINGS.sets(changes as Partial<Thing>, allowed)).toEqual({ sql, values });
  });

  it("a generated column is never inserted, and the records' own tables read their rows", () => {
    const e = SESSION_EVENTS.insert({
      at: 1,
      type: "ended",
      sid: "s",
      userDn: null,
      username: null,
      clientId: null,
      actorType: "system",
      actor: null,
      remoteIp: null,
      detail: { why: "x" },
    });
    expect(e.sql).not.toMatch(/\bid\b/);
    const client: ClientRecord = {
      clientId: "c",
      secretHash: "",
      scopes: ["openid", "profile"],
      name: "C",
      createdAt: 5,
      type: "public",
      redirectUris: ["https://rp.example/cb"],
      postLogoutRedirectUris: [],
      userinfoJwt: true,
      backchannelLogoutUri: null,
      backchannelLogoutSessionRequired: false,
    };
    const c = CLIENTS.insert(client);
    expect(CLIENTS.fromRow(rowOf(c.sql, c.values, true))).toEqual(client);
  });
});
