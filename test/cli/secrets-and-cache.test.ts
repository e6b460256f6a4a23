import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCOPE } from "../../src/server/core/oauth/scopes.js";
import { isolatedEnv, runOpcli, runOpcliInProcess } from "../helpers/run-opcli.js";
import { type RunningServer, startServer } from "../helpers/spawn-server.js";

// Secrets off argv (@file, -, a warning for a literal), config errors that never echo the file,
// and a token cache that survives corruption and parallel writers (issue 17, items 8 and 10).

let s: RunningServer;
beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024 });
});
afterAll(() => s?.stop());

const base = () => isolatedEnv({ OPCLI_HOST: s.url, OPCLI_CLIENT_ID: s.admin.client_id });
const cacheFile = (env: Record<string, string>) => join(env.HOME!, ".cache/opcli/tokens.json");

describe("secrets on the command line", () => {
  it("--client-secret @FILE and - read the secret; a literal one works but is warned of", async () => {
    const env = base();
    const file = join(env.HOME!, "secret");
    writeFileSync(file, `${s.admin.client_secret}\n`, { mode: 0o600 });
    const viaFile = await runOpcliInProcess(
      ["--operation-id", "get-sessions", "--client-secret", `@${file}`],
      {
        env,
      },
    );
    expect(viaFile.code).toBe(0);
    expect(viaFile.stderr).toBe("");
    const viaStdin = await runOpcliInProcess(["auth", "login", "--client-secret", "-"], {
      env: base(),
      input: `${s.admin.client_secret}\n`,
    });
    expect(viaStdin.code).toBe(0);
    expect(viaStdin.stderr).not.toContain("warning");
    const literal = await runOpcliInProcess(["auth", "login", "--client-secret", s.admin.client_secret], {
      env: base(),
    });
    expect(literal.code).toBe(0);
    expect(literal.stderr).toContain(
      "opcli: warning: --client-secret on the command line is visible to other users (ps); use --client-secret @FILE, --client-secret - or the environment",
    );
    expect(literal.stderr).not.toContain(s.admin.client_secret);
  });

  it("--client-secret - on a terminal asks without echoing what is typed", async () => {
    const { runOpcliInPty } = await import("../helpers/run-opcli.js");
    const r = await runOpcliInPty(["auth", "login", "--client-secret", "-"], {
      env: base(),
      answer: { when: "--client-secret: ", type: `${s.admin.client_secret}\r` },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--client-secret: ");
    expect(r.stdout).toContain("signed in (fetched)");
    expect(r.stdout).not.toContain(s.admin.client_secret);
  });

  it("config set clientSecret - reads standard input, never storing a dash", async () => {
    const env = base();
    const set = await runOpcliInProcess(["config", "set", "clientSecret", "-"], {
      env,
      input: "from-stdin-secret\n",
    });
    expect(set.code).toBe(0);
    const cfg = JSON.parse(readFileSync(join(env.HOME!, ".config/opcli/config.json"), "utf8"));
    expect(cfg.clientSecret).toBe("from-stdin-secret");
  });

  it("a config file with a JSON syntax error is named with its line and column, never its content", async () => {
    const env = base();
    const dir = join(env.HOME!, ".config/opcli");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "config.json"), '{\n  "clientSecret": "top-secret-value" oops\n}\n');
    chmodSync(join(dir, "config.json"), 0o600);
    const r = await runOpcliInProcess(["--operation-id", "get-sessions"], { env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/config\.json is not valid JSON \(syntax error at line 2, column 38\)\n$/);
    expect(r.stderr).not.toContain("top-secret");
  });
});

describe("the file token cache", () => {
  it("a cache holding null (or garbage) is set aside with a warning, never a dead end", async () => {
    for (const junk of ["null", "[1]", "{not json"]) {
      const env: Record<string, string> = { ...base(), OPCLI_CLIENT_SECRET: s.admin.client_secret };
      mkdirSync(join(env.HOME!, ".cache/opcli"), { recursive: true });
      writeFileSync(cacheFile(env), junk, { mode: 0o600 });
      const r = await runOpcliInProcess(["--operation-id", "get-sessions"], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        /warning: the token cache .*tokens\.json was unreadable; moved it to .*tokens\.json\.corrupt-\d+/,
      );
      expect(
        readdirSync(join(env.HOME!, ".cache/opcli")).some((f) => f.startsWith("tokens.json.corrupt-")),
      ).toBe(true);
      const again = await runOpcliInProcess(["--operation-id", "get-sessions"], { env });
      expect(again.stderr).toBe("");
    }
  });

  it("parallel processes caching different tokens lose none of them", async () => {
    const env: Record<string, string> = { ...base(), OPCLI_CLIENT_SECRET: s.admin.client_secret };
    const scopes = [
      SCOPE.sessionRead,
      SCOPE.sessionDelete,
      SCOPE.sessionAdmin,
      SCOPE.readAll,
      SCOPE.writeAll,
      SCOPE.deleteAll,
      SCOPE.revokeSession,
    ];
    for (let trial = 0; trial < 3; trial++) {
      const results = await Promise.all(
        scopes.map((sc) => runOpcli(["auth", "login", "--scopes", sc], { env })),
      );
      expect(results.map((r) => r.code)).toEqual(scopes.map(() => 0));
      expect(existsSync(cacheFile(env))).toBe(true);
      expect(Object.keys(JSON.parse(readFileSync(cacheFile(env), "utf8")))).toHaveLength(7);
    }
  });
});

describe("files and streams", () => {
  it("an unwritable data or cache directory is one line naming the path, exit 3, at once", async () => {
    for (const [k, v] of [
      ["XDG_DATA_HOME", "/proc/opcli-test"],
      ["XDG_CACHE_HOME", "/proc"],
    ] as const) {
      const started = Date.now();
      const r = await runOpcliInProcess(["--operation-id", "get-sessions"], {
        env: { ...isolatedEnv(), [k]: v },
      });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr.trim().split("\n").at(-1)).toMatch(/cannot create directory \/proc/);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });

  it("a write error on stdout (a full disk) exits non-zero with the reason", async () => {
    const { spawnSync } = await import("node:child_process");
    const { openSync } = await import("node:fs");
    const { OPCLI_BIN } = await import("../helpers/run-opcli.js");
    const env = { ...base(), OPCLI_CLIENT_SECRET: s.admin.client_secret };
    const r = spawnSync(process.execPath, [OPCLI_BIN, "--operation-id", "get-sessions"], {
      env,
      stdio: ["ignore", openSync("/dev/full", "w"), "pipe"],
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("opcli: cannot write to standard output: ENOSPC");
  });
});
