import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/spec/load.js";
import { screenOf } from "../../src/spec/screen-hint.js";
import { ROOT } from "../helpers/spawn-server.js";

// `x-opcli-screen` read into the model: good hints become a screen, malformed ones one warning
// and no screen, never a throw; our documents and Janssen's (through its overlay) load clean.

const read = (raw: unknown) => {
  const warnings: string[] = [];
  const r = screenOf(raw, "GET /x", (m) => warnings.push(m));
  return { screen: r.screen, warnings };
};
const LIST = {
  name: "things",
  noun: ["thing", "things"],
  id: "uid",
  columns: [{ header: "NAME", field: "meta.name", letter: "N", sort: "name" }],
};

describe("screenOf", () => {
  it.each([
    ["a list", LIST, { ...LIST, role: "list" }],
    [
      "a list with every part",
      {
        ...LIST,
        role: "list",
        id: ["uid", "meta.uid"],
        who: "owner",
        summary: [
          ["Name", "meta.name"],
          ["Born", "born", "time"],
        ],
        params: { limit: "max", start: "skip", sort: "by", order: "dir", pattern: "q" },
        order: ["up", "down"],
        filters: { owner: "owner_name" },
        columns: [{ header: "BORN", field: ["born", "created"], kind: "earliest-of", identifier: true }],
      },
      undefined,
    ],
    ["a remove", { name: "things", role: "remove", params: { uid: "uid" } }, undefined],
    [
      "a revoke with a count",
      { name: "t", role: "revoke", params: { o: "owner" }, count: { owner: "o" } },
      undefined,
    ],
  ])("%s", (_what, raw, want) => {
    const r = read(raw);
    expect(r.warnings).toEqual([]);
    expect(r.screen).toEqual(want ?? raw);
  });

  it.each([
    ["not an object", "sessions", /must be an object/],
    ["no name", { role: "list" }, /needs a name and a role/],
    ["an unknown role", { name: "x", role: "edit" }, /needs a name and a role/],
    ["the old layout key", { ...LIST, layout: "flat" }, /layout is not a key of a list hint/],
    ["no columns", { ...LIST, columns: [] }, /columns must be a non-empty list/],
    ["no noun", { ...LIST, noun: "thing" }, /noun must be two words/],
    ["no id", { ...LIST, id: undefined }, /id must be a dotted path/],
    ["a column without header", { ...LIST, columns: [{ field: "a" }] }, /columns\[0\] needs a header/],
    [
      "a column's bad field",
      { ...LIST, columns: [{ header: "A", field: 3 }] },
      /columns\[0\]\.field must be/,
    ],
    [
      "a column's unknown kind",
      { ...LIST, columns: [{ header: "A", field: "a", kind: "date" }] },
      /kind must be one of/,
    ],
    [
      "a column's two letters",
      { ...LIST, columns: [{ header: "A", field: "a", letter: "ab" }] },
      /letter must be one/,
    ],
    ["a column's typo", { ...LIST, columns: [{ header: "A", feild: "a" }] }, /unknown key feild/],
    ["a bad summary row", { ...LIST, summary: [["Name"]] }, /summary\[0\] must be \[label, path\]/],
    ["an unknown list role", { ...LIST, params: { page: "p" } }, /params\.page is not one of/],
    [
      "a filter word with capitals",
      { ...LIST, filters: { User: "u" } },
      /filters: "User" is not a lower-case word/,
    ],
    ["a one-word order", { ...LIST, order: ["asc"] }, /order must be two words/],
    ["a remove without params", { name: "x", role: "remove" }, /params must be a non-empty object/],
    [
      "a remove with a count",
      { name: "x", role: "remove", params: { a: "a" }, count: { a: "a" } },
      /count is not a key/,
    ],
    [
      "a revoke's bad count",
      { name: "x", role: "revoke", params: { a: "a" }, count: { a: [] } },
      /count\.a must be/,
    ],
  ])("%s: one warning, no screen", (_what, raw, message) => {
    const r = read(raw);
    expect(r.screen).toBeUndefined();
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(message);
    expect(r.warnings[0]).toMatch(/^GET \/x: x-opcli-screen: [^\n]+$/);
  });

  it("no hint: no screen, no warning", () => {
    expect(read(undefined)).toEqual({ screen: undefined, warnings: [] });
  });

  it("any value: a screen or one warning, never a throw", () => {
    const hintish = fc.record(
      {
        name: fc.oneof(fc.string(), fc.anything()),
        role: fc.constantFrom("list", "remove", "revoke", "x", 3),
        noun: fc.oneof(fc.tuple(fc.string(), fc.string()), fc.anything()),
        id: fc.oneof(fc.string(), fc.array(fc.string()), fc.anything()),
        columns: fc.oneof(
          fc.array(
            fc.record(
              { header: fc.anything(), field: fc.anything(), kind: fc.anything() },
              { requiredKeys: [] },
            ),
          ),
          fc.anything(),
        ),
        params: fc.oneof(fc.dictionary(fc.string(), fc.anything()), fc.anything()),
        count: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything({ withBigInt: true }), hintish), (raw) => {
        const r = read(raw);
        expect(r.warnings.length + (r.screen ? 1 : 0)).toBe(raw === undefined ? 0 : 1);
        for (const w of r.warnings) expect(w).not.toContain("\n");
      }),
      { numRuns: 500 },
    );
  });
});

describe("the documents' screen hints", () => {
  const opts = { toolVersion: "test" };
  it.each([
    ["spec/opcli.yaml", [], ["sessions"]],
    ["spec/admin.yaml", [], ["sessions", "users", "alarms", "audit"]],
    ["../shared/specs/jans-config-api.yaml", [], ["sessions"]],
  ])("%s loads its screens without a warning", async (file, overlays, lists) => {
    const path = resolve(ROOT, file);
    const model = await loadModel(readFileSync(path, "utf8"), path, { ...opts, overlays });
    expect(model.warnings.filter((w) => w.includes("x-opcli-screen"))).toEqual([]);
    const listed = model.operations.flatMap((o) => (o.screen?.role === "list" ? [o.screen.name] : []));
    expect(listed).toEqual(lists);
    const sessions = model.operations.filter((o) => o.screen?.name === "sessions");
    expect(sessions.map((o) => o.screen?.role).sort()).toEqual(["list", "remove", "revoke"]);
  });
});

it("Janssen's overlay gives its document the screens our document declares", async () => {
  const opts = { toolVersion: "test" };
  const screens = async (file: string) => {
    const path = resolve(ROOT, file);
    const model = await loadModel(readFileSync(path, "utf8"), path, opts);
    return Object.fromEntries(model.operations.flatMap((o) => (o.screen ? [[o.id, o.screen]] : [])));
  };
  const ours = await screens("spec/opcli.yaml");
  expect(Object.keys(ours)).toHaveLength(3);
  expect(await screens("../shared/specs/jans-config-api.yaml")).toEqual(ours);
});
