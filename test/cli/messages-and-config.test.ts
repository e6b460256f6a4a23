import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runOpcliInProcess } from "../helpers/run-opcli.js";
import { type RunningServer, startServer } from "../helpers/spawn-server.js";

// Config values checked where they are set and read, clear one-line messages, and -o json for the
// commands that describe things (issue 17, items 9, 12 and 13).

let s: RunningServer;
beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024 });
});
afterAll(() => s?.stop());

const withConfig = (cfg: string) => {
  const env = isolatedEnv();
  mkdirSync(join(env.HOME!, ".config/opcli"), { recursive: true });
  writeFileSync(join(env.HOME!, ".config/opcli/config.json"), cfg, { mode: 0o600 });
  return env;
};

describe("config", () => {
  it.each([
    [["tokenStore", "disk"], 'tokenStore must be one of auto, keychain, file, none, not "disk"'],
    [["clientSecretRef", "vault:x"], 'clientSecretRef must be env:NAME or keychain:NAME, not "vault:x"'],
    [["insecure", "yes"], "insecure must be a boolean"],
    [["tokenstore", "file"], 'unknown setting "tokenstore" (did you mean tokenStore?)'],
    [["host", "http://a b"], 'host must be a URL or a host name, not "http://a b"'],
  ])("config set %j is refused: %s", async (kv, message) => {
    const env = isolatedEnv();
    const r = await runOpcliInProcess(["config", "set", ...kv], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`opcli: ${message}`);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("config unset removes a setting; unsetting what is not set says so", async () => {
    const env = isolatedEnv();
    await runOpcliInProcess(["config", "set", "--profile", "p", "tokenUrl", "https://a.example/token"], {
      env,
    });
    const un = await runOpcliInProcess(["config", "unset", "--profile", "p", "tokenUrl"], { env });
    expect(un.code).toBe(0);
    expect(JSON.parse((await runOpcliInProcess(["config", "list"], { env })).stdout).profiles.p).toEqual({});
    const again = await runOpcliInProcess(["config", "unset", "--profile", "p", "tokenUrl"], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('opcli: tokenUrl is not set in profile "p"\n');
  });

  it.each([
    ['{"tokenStore": "disk"}', '"tokenStore" must be one of auto, keychain, file, none, not "disk"'],
    ['{"profiles": {"a": null}}', 'in profile "a" must be a JSON object'],
    ['{"profiles": [1, 2]}', '"profiles" must be an object of named profiles'],
    ["[]", "must hold a JSON object"],
  ])("a malformed config file %s is exit 3 naming the key", async (cfg, message) => {
    const r = await runOpcliInProcess(["--operation-id", "get-sessions"], { env: withConfig(cfg) });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("messages", () => {
  it.each([
    [["-V"], "opcli: unknown flag -V (did you mean -v, --verbose?)"],
    [["--yse"], "opcli: unknown flag --yse (did you mean --yes?)"],
    [["--frobnicate"], "opcli: unknown flag --frobnicate"],
    [
      ["get-sessions"],
      'opcli: unknown command "get-sessions" (did you mean --operation-id get-sessions?) (opcli --help)',
    ],
    [["--operation-id", "get-sesions"], 'opcli: unknown operation "get-sesions"; did you mean get-sessions?'],
  ])("%j: %s, and nothing else", async (args, line) => {
    const r = await runOpcliInProcess(args, { env: isolatedEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${line}\n`);
  });

  it("TLS against a plain-HTTP port says so in a sentence", async () => {
    const port = new URL(s.url).port;
    const r = await runOpcliInProcess(
      ["--operation-id", "get-sessions", "--host", `https://127.0.0.1:${port}`],
      {
        env: isolatedEnv({ OPCLI_ACCESS_TOKEN: "t" }),
      },
    );
    expect(r.code).toBe(7);
    expect(r.stderr).toBe(
      `opcli: 127.0.0.1:${port} did not answer TLS: is it plain HTTP? (try http://127.0.0.1:${port})\n`,
    );
  });

  it("--help lists every OPCLI_ variable under ENVIRONMENT", async () => {
    const r = await runOpcliInProcess(["--help"], { env: isolatedEnv() });
    const env = r.stdout.slice(r.stdout.indexOf("Environment:"));
    for (const v of [
      "OPCLI_HOST",
      "OPCLI_SPEC",
      "OPCLI_CONFIG",
      "OPCLI_PROFILE",
      "OPCLI_ACCESS_TOKEN",
      "OPCLI_CLIENT_ID",
      "OPCLI_CLIENT_SECRET",
      "OPCLI_TOKEN_STORE",
      "OPCLI_NO_CACHE",
      "OPCLI_NO_INPUT",
    ])
      expect(env).toContain(v);
  });
});

describe("-o json for the describing commands", () => {
  it("--info, --info TAG, --schema and auth status", async () => {
    const env = isolatedEnv({
      OPCLI_HOST: s.url,
      OPCLI_CLIENT_ID: s.admin.client_id,
      OPCLI_CLIENT_SECRET: s.admin.client_secret,
    });
    const tags = JSON.parse((await runOpcliInProcess(["--info", "-o", "json"], { env })).stdout);
    expect(tags.tags).toContainEqual({
      name: "Auth - Session Management",
      squashed: "AuthSessionManagement",
      operations: 5,
    });
    const ops = JSON.parse(
      (await runOpcliInProcess(["--info", "AuthSessionManagement", "-o", "json"], { env })).stdout,
    );
    expect(ops.map((o: { operationId: string }) => o.operationId)).toContain("search-session");
    const schema = JSON.parse(
      (await runOpcliInProcess(["--schema", "Session", "-o", "json"], { env })).stdout,
    );
    expect(schema.name).toBe("Session");
    expect(schema.schema.properties.sid).toEqual({ type: "string" });
    await runOpcliInProcess(["auth", "login"], { env });
    const status = await runOpcliInProcess(["auth", "status", "-o", "json"], { env });
    expect(status.code).toBe(0);
    const st = JSON.parse(status.stdout);
    expect(st).toMatchObject({ host: s.url, client: s.admin.client_id, token: "cached" });
    expect(st.tokens[0].subject).toBe(s.admin.client_id);
    expect(status.stdout).not.toMatch(/eyJ/);
  });

  it("--batch honours -o (a JSON array, CSV with --columns)", async () => {
    const env = isolatedEnv({
      OPCLI_HOST: s.url,
      OPCLI_CLIENT_ID: s.admin.client_id,
      OPCLI_CLIENT_SECRET: s.admin.client_secret,
    });
    const input = '{"operationId":"get-acrs"}\n{"operationId":"get-sessions"}\n';
    const json = await runOpcliInProcess(["--batch", "-", "-o", "json"], { env, input });
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as { index: number; ok: boolean }[];
    expect(rows.map((r) => r.index).sort()).toEqual([0, 1]);
    const csv = await runOpcliInProcess(
      ["--batch", "-", "-o", "csv", "--columns", "index,operationId,status"],
      {
        env,
        input,
      },
    );
    expect(csv.stdout.split("\n")[0]).toBe("index,operationId,status");
    expect(csv.stdout).toMatch(/\n\d,get-(acrs|sessions),200\n/);
  });

  it("auth status exits 1 when nothing usable is configured", async () => {
    const r = await runOpcliInProcess(["auth", "status", "--host", s.url], { env: isolatedEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "opcli: no client or token configured (opcli auth login, or --client-id/--access-token)\n",
    );
  });
});
