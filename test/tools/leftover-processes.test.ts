import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/spawn-server.js";

// .ci/run fails when the suite leaves a process running; this is the check it runs.

const script = join(ROOT, "scripts/leftover-processes.mjs");
const started: ChildProcess[] = [];
afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

const idle = (args: string[], env: NodeJS.ProcessEnv) => {
  const c = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)", ...args], { env, stdio: "ignore" });
  started.push(c);
  return c;
};

const check = (env: Record<string, string>) =>
  spawnSync(process.execPath, [script, "--wait", "300"], {
    encoding: "utf8",
    env: { ...process.env, OPCLI_TEST_RUN: "", OPCLI_TEST_TMP: "", ...env },
  });

describe("scripts/leftover-processes.mjs", () => {
  it("fails naming a process that carries the run's mark, and passes once it is gone", async () => {
    const mark = `mark-${randomBytes(6).toString("hex")}`;
    expect(check({ OPCLI_TEST_RUN: mark }).status).toBe(0);
    const child = idle([], { ...process.env, OPCLI_TEST_RUN: mark });
    await new Promise((r) => setTimeout(r, 200));
    const r = check({ OPCLI_TEST_RUN: mark });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`pid ${child.pid}:`);
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(check({ OPCLI_TEST_RUN: mark }).status).toBe(0);
  });

  it("fails naming a process whose command line names the run's directory, though unmarked (a postmaster)", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "opcli-leftover-"));
    const env = { ...process.env };
    delete env.OPCLI_TEST_RUN;
    const child = idle([join(tmp, "opcli-pg-x")], env);
    await new Promise((r) => setTimeout(r, 200));
    const r = check({ OPCLI_TEST_TMP: tmp, OPCLI_TEST_RUN: `other-${randomBytes(4).toString("hex")}` });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`pid ${child.pid}:`);
  });

  it("refuses to run with neither a mark nor a directory (exit 2)", () => {
    expect(check({}).status).toBe(2);
  });
});
