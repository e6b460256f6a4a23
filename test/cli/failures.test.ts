import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runOpcliInProcess } from "../helpers/run-opcli.js";
import { SERVER_BIN, startServer } from "../helpers/spawn-server.js";

// Failures that are configuration exit 3 with one clear line; a silent server times out (exit 7).

let silent: Server;
let silentUrl: string;
const sockets: Socket[] = [];
beforeAll(async () => {
  // Accepts connections and never answers.
  silent = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
afterAll(() => {
  for (const s of sockets) s.destroy();
  silent.close();
});

const oneLine = (stderr: string) => stderr.trim().split("\n");

describe("opcli", () => {
  it("--timeout 1 --retries 0 against a socket that never answers exits 7 within 3 s", async () => {
    const started = performance.now();
    const r = await runOpcliInProcess(
      ["--operation-id", "get-sessions", "--host", silentUrl, "--timeout", "1", "--retries", "0"],
      { env: isolatedEnv({ OPCLI_ACCESS_TOKEN: "t" }) },
    );
    const elapsed = performance.now() - started;
    expect(r.code).toBe(7);
    expect(r.stderr).toBe("opcli: timed out after 1000 ms\n");
    expect(elapsed).toBeLessThan(3000);
  });

  it("an explicit keychain store without a Secret Service exits 3 with one line", async () => {
    const env = isolatedEnv({
      OPCLI_TOKEN_STORE: "keychain",
      OPCLI_HOST: silentUrl,
      OPCLI_CLIENT_ID: "c",
      OPCLI_CLIENT_SECRET: "s",
    });
    const r = await runOpcliInProcess(["--output-access-token", "--token-url", `${silentUrl}/token`], {
      env,
    });
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toEqual([
      "opcli: token store is keychain, but there is no D-Bus session for the Secret Service; use file or none",
    ]);
  });

  it("a config file that is not JSON, or holds a bad tokenStore, exits 3 with one line", async () => {
    const { OPCLI_TOKEN_STORE: _chosen, ...env } = isolatedEnv();
    const dir = join(env.HOME!, ".config", "opcli");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "config.json"), "{ not json");
    const bad = await runOpcliInProcess(["--operation-id", "get-sessions", "--host", silentUrl], { env });
    expect(bad.code).toBe(3);
    expect(oneLine(bad.stderr)).toHaveLength(1);
    expect(bad.stderr).toMatch(/^opcli: .*config\.json is not valid JSON/);
    writeFileSync(join(dir, "config.json"), JSON.stringify({ tokenStore: "disk" }));
    const store = await runOpcliInProcess(["--operation-id", "get-sessions", "--host", silentUrl], {
      env: { ...env, OPCLI_ACCESS_TOKEN: "" },
    });
    expect(store.code).toBe(3);
    expect(oneLine(store.stderr)).toEqual([
      `opcli: ${join(dir, "config.json")}: "tokenStore" must be one of auto, keychain, file, none, not "disk"`,
    ]);
  });
});

describe("opcli-server", () => {
  const server = (args: string[]) => spawnSync(process.execPath, [SERVER_BIN, ...args], { encoding: "utf8" });

  it("a store that cannot be opened, or a port already taken, exits 3 with one line", async () => {
    const r = server(["--port", "0", "--db", "/proc/opcli-nope/server.db", "--quiet"]);
    expect(r.status).toBe(3);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^opcli-server: cannot open the store \/proc\/opcli-nope\/server\.db/);
    const running = await startServer({ passwordHashCost: 1024 });
    try {
      const port = new URL(running.url).port;
      const taken = server(["--port", port, "--db", join(running.dir, "other.db"), "--quiet"]);
      expect(taken.status).toBe(3);
      expect(oneLine(taken.stderr)).toEqual([
        expect.stringMatching(/^opcli-server: cannot listen for HTTP: EADDRINUSE/),
      ]);
    } finally {
      await running.stop();
    }
  });

  it("--help lists the subcommands and the flags with their defaults; each command has its own", () => {
    const help = execFileSync(process.execPath, [SERVER_BIN, "--help"], { encoding: "utf8" });
    for (const p of [
      "client create",
      "user create",
      "seed",
      "--port N",
      "(default: 8080)",
      "(default: 127.0.0.1)",
    ])
      expect(help).toContain(p);
    const client = execFileSync(process.execPath, [SERVER_BIN, "client", "create", "--help"], {
      encoding: "utf8",
    });
    expect(client).toContain("--scopes");
    expect(client).not.toContain("--tls-port");
    const stray = server(["client", "create", "--tls-port", "1"]);
    expect([stray.status, stray.stderr]).toEqual([
      2,
      "opcli-server: client create takes no --tls-port (opcli-server client create --help)\n",
    ]);
  });
});
