import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/spec/load.js";
import { screensFor, whyNoScreen } from "../../src/tui/screens.js";

// A document the TUI has never seen, with its own field and parameter names and the hint, gets
// a working screen: columns read, list arguments built, removal and revocation from the item.

const DOC = `openapi: 3.0.3
info: { title: Gadgets, version: "1" }
servers: [{ url: http://127.0.0.1:9 }]
paths:
  /gadgets:
    get:
      operationId: find-gadgets
      x-opcli-paging: { total: meta.count, items: data }
      x-opcli-screen:
        name: gadgets
        noun: [gadget, gadgets]
        id: [ref, meta.ref]
        who: owner.login
        params: { limit: take, start: skip, sort: orderBy, order: dir, pattern: q }
        order: [up, down]
        filters: { owner: ownerLogin, made: madeOn }
        columns:
          - { header: OWNER, field: owner.login, identifier: true, letter: O, sort: owner }
          - { header: MADE, field: madeOn, kind: time, letter: M, sort: made }
          - { header: ENDS, field: [hardEnd, softEnd], kind: earliest-of }
          - { header: TAGS, field: tags, kind: words }
        summary: [[Owner, owner.login], [Made, madeOn, time], [Kind, gadget, fixed]]
      parameters:
        - { name: take, in: query, schema: { type: integer } }
        - { name: skip, in: query, schema: { type: integer } }
        - { name: orderBy, in: query, schema: { type: string } }
        - { name: dir, in: query, schema: { type: string } }
        - { name: q, in: query, schema: { type: string } }
        - { name: where, in: query, x-opcli-filter: field-value-pairs, schema: { type: string } }
      responses: { "200": { description: ok } }
  /gadgets/{ref}:
    delete:
      operationId: scrap-gadget
      x-opcli-screen: { name: gadgets, role: remove, params: { ref: [ref, meta.ref] } }
      parameters: [{ name: ref, in: path, required: true, schema: { type: string } }]
      responses: { "204": { description: gone } }
  /owners/{login}/gadgets:
    delete:
      operationId: scrap-all
      x-opcli-screen: { name: gadgets, role: revoke, params: { login: owner.login }, count: { owner: owner.login } }
      parameters: [{ name: login, in: path, required: true, schema: { type: string } }]
      responses: { "204": { description: gone } }
`;

const NOW = Date.UTC(2026, 0, 1, 12);
const ITEM = {
  meta: { ref: "g-1" },
  owner: { login: "zoe" },
  madeOn: new Date(NOW - 5 * 60_000).toISOString(),
  hardEnd: NOW + 3_600_000,
  softEnd: NOW + 600_000,
  tags: ["red", "big"],
};

const screens = async (text = DOC) =>
  screensFor((await loadModel(text, "/tmp/gadgets.yaml", { toolVersion: "test" })).operations);

describe("a screen from a document the TUI has never seen", () => {
  it("reads its columns, summary, id and owner from the hint", async () => {
    const [s] = await screens();
    expect(s?.name).toBe("gadgets");
    const { items, total } = s!.page({ meta: { count: 7 }, data: [ITEM] });
    expect([items[0]?.id, total]).toEqual(["g-1", 7]);
    expect(s!.columns.map((c) => c.header)).toEqual(["OWNER", "MADE", "ENDS", "TAGS"]);
    expect(s!.columns.map((c) => c.value(ITEM, NOW))).toEqual(["zoe", "5m ago", "in 10m", "red big"]);
    expect(s!.columns[2]!.sortValue!(ITEM)).toBe(NOW + 600_000);
    expect(s!.summary(ITEM, NOW)).toEqual([
      ["Owner", "zoe"],
      ["Made", "5m ago  (2026-01-01T11:55:00Z)"],
      ["Kind", "gadget"],
    ]);
    expect(s!.who(items[0]!)).toBe("zoe");
    expect(s!.who({ id: "x", raw: {} })).toBe("no user");
  });

  it.each([
    ["", undefined, { take: "18", skip: "0" }],
    [
      "blue owner=zoe made>2026-01-01",
      undefined,
      { q: "blue", where: "ownerLogin=zoe,madeOn>2026-01-01", take: "18", skip: "0" },
    ],
    [
      "owner=a,b",
      { column: 1, descending: true },
      { where: 'ownerLogin="a,b"', orderBy: "made", dir: "down", take: "18", skip: "0" },
    ],
    ["", { column: 2, descending: false }, { take: "18", skip: "0" }],
  ])("the list's arguments for %j sorted %j", async (filter, sort, want) => {
    const [s] = await screens();
    expect(s!.serverFilter).toBe(true);
    expect(s!.list({ filter, sort, start: 0, limit: 18 })).toEqual({ op: "find-gadgets", params: want });
  });

  it("removes and revokes by the item's values; counts with the list", async () => {
    const [s] = await screens();
    const item = { id: "g-1", raw: ITEM };
    expect([s!.remove?.op, s!.remove?.params(item)]).toEqual(["scrap-gadget", { ref: "g-1" }]);
    expect([s!.revoke?.op, s!.revoke?.params(item)]).toEqual(["scrap-all", { login: "zoe" }]);
    expect(s!.revoke?.count?.(item)).toEqual({
      op: "find-gadgets",
      params: { where: "ownerLogin=zoe", take: "1", skip: "0" },
    });
  });

  it("a malformed hint: a warning, no screen, and the reason on opcli tui", async () => {
    const bad = DOC.replace("kind: words", "kind: colour");
    const model = await loadModel(bad, "/tmp/gadgets.yaml", { toolVersion: "test" });
    expect(model.warnings.join("\n")).toMatch(
      /GET \/gadgets: x-opcli-screen: columns\[3\]\.kind must be one of/,
    );
    expect(screensFor(model.operations)).toEqual([]);
    expect(whyNoScreen(model.operations)).toMatch(
      /marks gadgets \(remove\), gadgets \(revoke\) but no operation/,
    );
  });

  it("without filters or pattern, the screen filters its page and sends only paging", async () => {
    const plain = DOC.replace(/ {8}filters: .*\n/, "").replace(", pattern: q", "");
    const [s] = await screens(plain);
    expect(s!.serverFilter).toBe(false);
    expect(s!.list({ filter: "owner=zoe", sort: undefined, start: 36, limit: 18 }).params).toEqual({
      take: "18",
      skip: "36",
    });
  });
});
