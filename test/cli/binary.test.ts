import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EchoServer, startEcho } from "../helpers/echo-server.js";
import { isolatedEnv, OPCLI_BIN, runOpcli } from "../helpers/run-opcli.js";
import { ROOT } from "../helpers/spawn-server.js";

// The smoke suite of bin/opcli itself: what only a process of its own shows (start-up through
// bin/ and the bundle, the real stdin and stdout, a closed pipe). Behaviour is tested in process;
// the signal, terminal, keychain and code-cache cases live beside the behaviour they concern.

let echo: EchoServer;
beforeAll(async () => {
  echo = await startEcho();
});
afterAll(async () => echo?.close());

const env = () => isolatedEnv({ OPCLI_ACCESS_TOKEN: "smoke-token" });

describe("bin/opcli as a process", () => {
  it("starts through bin/ and the bundle: --version is the package's, exit 0, stderr empty", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const r = await runOpcli(["--version"], { env: env() });
    expect([r.code, r.signal, r.stderr]).toEqual([0, null, ""]);
    expect(r.stdout).toContain(pkg.version);
  });

  it("reads --data - from its real standard input", async () => {
    echo.requests.length = 0;
    echo.respond = () => ({ status: 200, body: "{}", headers: { "content-type": "application/json" } });
    const body = { username: "smoke", password: "from-stdin" };
    const r = await runOpcli(["--operation-id", "post-login", "--host", echo.url, "--data", "-"], {
      env: env(),
      input: JSON.stringify(body),
    });
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(echo.requests[0]!.body)).toEqual(body);
  });

  it("a reader that stops early (| head) ends it quietly with exit 0", async () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => ({ sid: `s-${i}`, padding: "x".repeat(40) }));
    echo.respond = () => ({
      status: 200,
      body: JSON.stringify({ start: 0, totalEntriesCount: entries.length, entries }),
      headers: { "content-type": "application/json" },
    });
    // pipefail: the pipeline's status is opcli's when head succeeds. Not spawnSync: the echo
    // server answers from this process.
    const line = `"${process.execPath}" "${OPCLI_BIN}" --operation-id get-sessions --host "${echo.url}" | head -c 64 >/dev/null`;
    const child = spawn("bash", ["-o", "pipefail", "-c", line], { env: env() });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const status = await new Promise((resolve) => child.on("close", resolve));
    expect([status, stderr]).toEqual([0, ""]);
  });
});
