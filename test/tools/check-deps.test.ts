import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/spawn-server.js";

const script = join(ROOT, "scripts/check-deps.mjs");

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "opcli-deps-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const run = (dir: string) => spawnSync(process.execPath, [script, dir], { encoding: "utf8" });

describe("scripts/check-deps.mjs", () => {
  it("passes on the repository's own src/", () => {
    const r = run(join(ROOT, "src"));
    expect(r.stdout + r.stderr).toMatch(/dependencies point one way/);
    expect(r.status).toBe(0);
  });

  it("fails on an import against the direction (client -> cli, server -> client)", () => {
    const dir = tree({
      "cli/main.ts": "export const main = 1;\n",
      "client/client.ts": 'import { main } from "../cli/main.js";\nexport const c = main;\n',
      "server/core/core.ts": 'export const k = await import("../../client/client.js");\n',
    });
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("client/client.ts -> cli/main.ts: client/ may not import cli/");
    expect(r.stderr).toContain(
      "server/core/core.ts -> client/client.ts: server/core/ may not import client/",
    );
  });

  it("fails on an import cycle inside one layer", () => {
    const dir = tree({
      "spec/a.ts": 'import { b } from "./b.js";\nexport const a = b;\n',
      "spec/b.ts": 'import type { a } from "./a.js";\nexport const b = 1 as typeof a;\n',
    });
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("import cycle: spec/a.ts <-> spec/b.ts");
  });
});
