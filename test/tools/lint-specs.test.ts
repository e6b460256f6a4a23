import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/spawn-server.js";

// scripts/lint-specs.mjs (Redocly's recommended rules) passes our documents and fails a broken one.

const run = (...files: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "scripts/lint-specs.mjs"), ...files], {
    cwd: ROOT,
    encoding: "utf8",
  });

describe("scripts/lint-specs.mjs", () => {
  it("passes spec/*.yaml", () => {
    const r = run();
    expect(r.stdout).toMatch(/4 document\(s\), 0 error\(s\)/);
    expect(r.status).toBe(0);
  });

  it("fails a document whose path parameter is not declared", () => {
    const broken = readFileSync(join(ROOT, "spec/pingam-sessions.yaml"), "utf8").replace(
      '  /realms/root/realms/{realm}/sessions#logout:\n    parameters:\n      - $ref: "#/components/parameters/Realm"\n',
      "  /realms/root/realms/{realm}/sessions#logout:\n    parameters:\n",
    );
    const file = join(mkdtempSync(join(tmpdir(), "opcli-lint-")), "broken.yaml");
    writeFileSync(file, broken);
    const r = run(file);
    expect(r.stdout).toMatch(/error path-parameters-defined/);
    expect(r.status).toBe(1);
  });
});
