import { describe, expect, it } from "vitest";
import { isolatedEnv, runOpcliInProcess } from "../helpers/run-opcli.js";

// The embedded default without a usable SQLite driver: exit 3 and one line saying what to do.
// (The CLI installed without better-sqlite3 on Node 20 is scripts/smoke-package.mjs's case.)
describe("the embedded default without its SQLite driver", () => {
  const absent = Number(process.versions.node.split(".")[0]) < 22 ? "node:sqlite" : "sqlite4";
  it(`OPCLI_SQLITE_DRIVER=${absent}: exit 3, one line naming the variable`, async () => {
    const r = await runOpcliInProcess(["--operation-id", "get-sessions"], {
      env: isolatedEnv({ OPCLI_SQLITE_DRIVER: absent }),
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("OPCLI_SQLITE_DRIVER");
    expect(r.stderr).not.toMatch(/\bat .*\.(c?js|ts):\d+/);
  });
});
