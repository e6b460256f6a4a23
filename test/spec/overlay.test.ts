import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel, loadModelByStat } from "../../src/spec/load.js";
import { applyOverlay, overlayMatches, toOverlay } from "../../src/spec/overlay.js";
import { ROOT } from "../helpers/spawn-server.js";

// Overlays (Overlay Specification 1.0) carry x-opcli hints to documents we may not edit: the
// shipped one for Janssen's document, and any given with --overlay; the model cache keys on them.

const JANS = resolve(ROOT, "../shared/specs/jans-config-api.yaml");
const opts = { toolVersion: "test" };

const DOC = `openapi: 3.0.3
info: { title: Widgets, version: "2" }
paths:
  /widgets:
    get:
      operationId: list-widgets
      parameters:
        - { name: q, in: query, schema: { type: string } }
        - { name: limit, in: query, schema: { type: integer } }
      responses: { "200": { description: ok } }
    delete:
      operationId: delete-widgets
      responses: { "204": { description: gone } }
`;

const OVERLAY = `overlay: 1.0.0
info: { title: widget hints, version: 1.0.0 }
actions:
  - target: $
    update: { x-opcli-paging: { total: meta.total, items: widgets } }
  - target: $.paths.*.get.parameters[?@.name == 'q']
    update: { x-opcli-filter: crest-query-filter }
  - target: $.paths['/widgets'].delete
    remove: true
`;

function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "opcli-overlay-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("applyOverlay", () => {
  it("updates (merging objects, appending to arrays) and removes what each target selects", () => {
    const doc = {
      info: { title: "T", version: "1" },
      tags: [{ name: "a" }],
      paths: { "/x": { get: { summary: "s" }, delete: {} } },
    };
    const overlay = toOverlay(
      {
        overlay: "1.0.0",
        info: { title: "o", version: "1" },
        actions: [
          { target: "$.paths.*.get", update: { "x-opcli-paging": { total: "n" }, summary: "new" } },
          { target: "$.tags", update: { name: "b" } },
          { target: "$.paths['/x'].delete", remove: true },
          { target: "$.paths['/none']", update: { never: true } },
        ],
      },
      "inline",
    );
    applyOverlay(doc, overlay);
    expect(doc).toEqual({
      info: { title: "T", version: "1" },
      tags: [{ name: "a" }, { name: "b" }],
      paths: { "/x": { get: { summary: "new", "x-opcli-paging": { total: "n" } } } },
    });
  });

  it.each([
    [{}, /not an overlay/],
    [{ overlay: "2.0.0", info: { title: "t" }, actions: [] }, /version 2.0.0 is not supported/],
    [{ overlay: "1.0.0", actions: [{ target: "$", remove: true }] }, /info.title is missing/],
    [{ overlay: "1.0.0", info: { title: "t" }, actions: [] }, /non-empty list/],
    [{ overlay: "1.0.0", info: { title: "t" }, actions: [{ target: "$" }] }, /neither updates nor removes/],
  ])("refuses a malformed overlay %#", (raw, message) => {
    expect(() => toOverlay(raw, "f.yaml")).toThrow(message);
  });

  it("a target that is not JSONPath is a SpecError naming the overlay", () => {
    const overlay = toOverlay(
      { overlay: "1.0.0", info: { title: "t" }, actions: [{ target: "$[?", remove: true }] },
      "bad.yaml",
    );
    expect(() => applyOverlay({}, overlay)).toThrow(/overlay bad.yaml: target \$\[\?/);
  });

  it.each(["$", "$.info", "$.paths"])(
    "a __proto__ key in an update at %s stays data: nothing reaches Object.prototype",
    (target) => {
      const overlay = toOverlay(
        JSON.parse(
          `{"overlay":"1.0.0","info":{"title":"t"},"actions":[{"target":"${target}","update":{"__proto__":{"ca":"evil","polluted":true},"info":{"__proto__":{"polluted":true}}}}]}`,
        ),
        "hostile.json",
      );
      const doc = JSON.parse('{"info":{"title":"x"},"paths":{}}') as Record<string, unknown>;
      applyOverlay(doc, overlay);
      const probe = {} as Record<string, unknown>;
      expect([probe.ca, probe.polluted]).toEqual([undefined, undefined]);
      expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(doc.info)).toBe(Object.prototype);
      // The key is kept as an own property, as the overlay wrote it.
      const node = (target === "$" ? doc : doc[target.slice(2)]) as Record<string, unknown>;
      expect(Object.hasOwn(node, "__proto__")).toBe(true);
    },
  );

  it.each([
    [{ match: { title: "Widgets" } }, true],
    [{ match: { title: "Widgets", version: "2" } }, true],
    [{ match: { title: "Widgets", version: "3" } }, false],
    [{ match: { title: "Other" }, extends: "https://x/widgets.yaml" }, false],
    [{ extends: "https://example.com/specs/widgets.yaml#x" }, true],
    [{ extends: "other.yaml" }, false],
    [{}, false],
  ])("a shipped overlay matches by x-opcli-match, else extends' file name: %j", (over, expected) => {
    const overlay = { source: "s", title: "t", actions: [], ...over };
    expect(overlayMatches(overlay, { info: { title: "Widgets", version: "2" } }, "/d/widgets.yaml")).toBe(
      expected,
    );
  });
});

describe("overlays in loadModel", () => {
  it("the shipped overlay gives Janssen's document its hints; no other document gets them", async () => {
    const model = await loadModel(readFileSync(JANS, "utf8"), JANS, opts);
    expect(model.overlays).toEqual(["opcli hints for the Jans Config API"]);
    const search = model.operations.find((o) => o.id === "search-session")!;
    expect(search.paging).toEqual({
      total: "totalEntriesCount",
      items: "entries",
      count: "entriesCount",
      start: "start",
    });
    expect(search.params.find((p) => p.name === "fieldValuePair")?.filter).toBe("field-value-pairs");
    const filtered = model.operations.filter((o) => o.params.some((p) => p.filter));
    expect(filtered.length).toBeGreaterThan(5);
    expect(filtered.every((o) => o.params.some((p) => p.name === "fieldValuePair"))).toBe(true);
    const screens = model.operations
      .filter((o) => o.screen)
      .map((o) => [o.id, o.screen?.name, o.screen?.role]);
    expect(screens).toEqual(
      expect.arrayContaining([
        ["search-session", "sessions", "list"],
        ["delete-session", "sessions", "remove"],
        ["revoke-user-session", "sessions", "revoke"],
      ]),
    );
    expect(screens).toHaveLength(3);

    const dir = tempFiles({ "w.yaml": DOC });
    const other = await loadModel(DOC, join(dir, "w.yaml"), opts);
    expect(other.overlays).toBeUndefined();
    expect(other.operations.some((o) => o.paging || o.params.some((p) => p.filter))).toBe(false);
  });

  it("--overlay files apply to any document, and the compiled-model cache keys on them", async () => {
    const dir = tempFiles({ "w.yaml": DOC, "hints.yaml": OVERLAY });
    const cacheDir = join(dir, "cache");
    const doc = join(dir, "w.yaml");
    const withOverlay = { ...opts, cacheDir, overlays: [join(dir, "hints.yaml")] };
    const model = await loadModel(DOC, doc, withOverlay);
    const list = model.operations.find((o) => o.id === "list-widgets")!;
    expect(list.paging).toEqual({ total: "meta.total", items: "widgets" });
    expect(list.params.find((p) => p.name === "q")?.filter).toBe("crest-query-filter");
    expect(model.operations.map((o) => o.id)).toEqual(["list-widgets"]);
    // Warm: the same overlays find the model by stat; none, or others, do not.
    expect(loadModelByStat(doc, withOverlay)?.operations[0]?.paging).toEqual(list.paging);
    expect(loadModelByStat(doc, { ...opts, cacheDir })).toBeUndefined();
    const plain = await loadModel(DOC, doc, { ...opts, cacheDir });
    expect(plain.operations.map((o) => o.id)).toEqual(["list-widgets", "delete-widgets"]);
    expect(loadModelByStat(doc, { ...opts, cacheDir })?.operations).toHaveLength(2);
    // A changed overlay is noticed on the warm path (size and mtime), then compiled anew.
    await loadModel(DOC, doc, withOverlay);
    writeFileSync(join(dir, "hints.yaml"), OVERLAY.replace("meta.total", "meta.count"));
    utimesSync(join(dir, "hints.yaml"), new Date(), new Date(Date.now() + 5000));
    expect(loadModelByStat(doc, withOverlay)).toBeUndefined();
    const again = await loadModel(DOC, doc, withOverlay);
    expect(again.operations[0]?.paging?.total).toBe("meta.count");
  });

  it("an unknown x-opcli-filter is a warning, not a hint", async () => {
    const text = DOC.replace(
      "- { name: q, in: query, schema: { type: string } }",
      "- { name: q, in: query, x-opcli-filter: sql, schema: { type: string } }",
    );
    const warnings: string[] = [];
    const model = await loadModel(text, "/w.yaml", { ...opts, onWarning: (w) => warnings.push(w) });
    expect(model.operations[0]?.params.find((p) => p.name === "q")?.filter).toBeUndefined();
    expect(warnings.join("\n")).toMatch(/parameter q: x-opcli-filter must be one of field-value-pairs/);
  });

  it("an x-opcli-screen without a name or with an unknown role is a warning", async () => {
    const text = DOC.replace(
      "operationId: list-widgets",
      "operationId: list-widgets\n      x-opcli-screen: { name: widgets, role: sort }",
    );
    const warnings: string[] = [];
    const model = await loadModel(text, "/w.yaml", { ...opts, onWarning: (w) => warnings.push(w) });
    expect(model.operations[0]?.screen).toBeUndefined();
    expect(warnings.join("\n")).toMatch(/GET \/widgets: x-opcli-screen: needs a name and a role/);
    const listed = await loadModel(
      DOC.replace(
        "operationId: list-widgets",
        "operationId: list-widgets\n      x-opcli-screen: { name: widgets, noun: [widget, widgets], id: id, columns: [{ header: ID, field: id }] }",
      ),
      "/w.yaml",
      opts,
    );
    expect(listed.operations[0]?.screen).toEqual({
      name: "widgets",
      role: "list",
      noun: ["widget", "widgets"],
      id: "id",
      columns: [{ header: "ID", field: "id" }],
    });
  });

  it("an unreadable --overlay is a SpecError naming it", async () => {
    await expect(loadModel(DOC, "/w.yaml", { ...opts, overlays: ["/nonexistent/o.yaml"] })).rejects.toThrow(
      /cannot read overlay \/nonexistent\/o.yaml: ENOENT/,
    );
  });
});

describe("scripts/check-api-names.mjs", () => {
  it("passes on src/, and fails listing each API name put in a generic layer", () => {
    expect(execFileSync(process.execPath, ["scripts/check-api-names.mjs"], { cwd: ROOT }).toString()).toMatch(
      /no API names/,
    );
    const root = mkdtempSync(join(tmpdir(), "opcli-names-"));
    mkdirSync(join(root, "client"));
    mkdirSync(join(root, "spec"));
    writeFileSync(join(root, "client", "a.ts"), "const ok = 1;\nconst t = body.totalEntriesCount;\n");
    writeFileSync(join(root, "spec", "b.ts"), "// Janssen's document: allowed where documents are read\n");
    let stderr = "";
    try {
      execFileSync(process.execPath, ["scripts/check-api-names.mjs", root], { cwd: ROOT, stdio: "pipe" });
    } catch (err) {
      stderr = String((err as { stderr: Buffer }).stderr);
    }
    expect(stderr).toMatch(/client\/a\.ts:2: "totalEntriesCount"/);
    expect(stderr).not.toMatch(/spec\/b\.ts/);
  });
});
