import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runOpcliInProcess } from "../helpers/run-opcli.js";
import { loginOverHttp, ROOT, type RunningServer, SERVER_BIN, startServer } from "../helpers/spawn-server.js";

// opcli drives the PingAM face from its own OpenAPI document (spec/pingam-sessions.yaml): one
// operation per action, the `_action` fixed by the path key, `_queryFilter` checked before sending,
// `--all` paging on `_pagedResultsCookie`. opcli in process against a spawned server.

const SPEC = join(ROOT, "spec/pingam-sessions.yaml");
const PASSWORD = "pingam-e2e-password";
let s: RunningServer;
let env: Record<string, string>;
let userId: string;
const tokens: string[] = [];

const am = (args: string[], input?: string) =>
  runOpcliInProcess(["--spec", SPEC, "--host", `${s.url}/am/json`, ...args], {
    env,
    ...(input ? { input } : {}),
  });
const alpha = (id: string, ...args: string[]) =>
  am(["--operation-id", id, "--url-suffix", "realm:alpha", ...args]);
/** The same, with `input` on stdin (`--data -`). */
const alphaIn = (input: string, id: string, ...args: string[]) =>
  am(["--operation-id", id, "--url-suffix", "realm:alpha", ...args], input);
const byUser = () => `_queryFilter:username eq "${userId}" and realm eq "/alpha"`;

async function login(): Promise<string> {
  const res = await loginOverHttp(s, "bjensen", PASSWORD);
  expect(res.status).toBe(200);
  return /session_id=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")![1]!;
}

beforeAll(async () => {
  s = await startServer({
    passwordHashCost: 1024,
    realms: { "/alpha": { sessionPropertyWhitelist: ["LoginLocation"], sessionQueryProperties: [] } },
  });
  const out = execFileSync(
    process.execPath,
    [
      SERVER_BIN,
      "user",
      "create",
      "--username",
      "bjensen",
      "--realm",
      "alpha",
      "--password-stdin",
      "--db",
      s.db,
      "--config",
      join(s.dir, "config.json"),
    ],
    { input: `${PASSWORD}\n` },
  );
  userId = (JSON.parse(out.toString()) as { id: string }).id;
  for (let i = 0; i < 5; i++) tokens.push(await login());
  env = isolatedEnv({ OPCLI_CLIENT_ID: s.admin.client_id, OPCLI_CLIENT_SECRET: s.admin.client_secret });
});
afterAll(() => s?.stop());

describe("opcli on the PingAM document", () => {
  it("--info lists each action as its own operation under its tag, with the fixed query shown", async () => {
    const r = await am(["--info", "Sessions"]);
    expect(r.code).toBe(0);
    for (const id of [
      "get-session-info",
      "validate-session",
      "logout-by-handle",
      "logout-by-user",
      "query-sessions",
    ])
      expect(r.stdout).toContain(`Operation ID: ${id}`);
    expect(r.stdout).toContain("POST /realms/root/realms/{realm}/sessions?_action=logoutByHandle");
  });

  it("sends _action exactly once, first, merged with the operation's other query parameters", async () => {
    const r = await alpha(
      "validate-session",
      "--endpoint-args",
      "refresh:false",
      "--data",
      '{"tokenId":"x"}',
      "--curl",
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("/am/json/realms/root/realms/alpha/sessions?_action=validate&refresh=false'");
    expect(r.stdout.match(/_action=/g)).toHaveLength(1);
  });

  it("refuses _action as an argument: the path key fixes it", async () => {
    const r = await alpha(
      "validate-session",
      "--endpoint-args",
      "_action:logout",
      "--data",
      '{"tokenId":"x"}',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/_action/);
  });

  it("checks _queryFilter before sending, pointing at the bad token", async () => {
    const r = await alpha("query-sessions", "--endpoint-args", "_queryFilter:username eq", "-v");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('at offset 11 of "username eq"');
    expect(r.stderr).not.toMatch(/GET http/);
  });

  it("validates --data against the action's body schema", async () => {
    const r = await alpha("logout-by-handle", "--data", '{"sessionHandles":[1]}');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("/sessionHandles/0");
  });

  it("validate with refresh=false does not move latestAccessTime; getSessionInfo shows the session", async () => {
    const body = JSON.stringify({ tokenId: tokens[0] });
    const before = JSON.parse((await alpha("get-session-info", "--data", body)).stdout) as Record<
      string,
      string
    >;
    expect(before.username).toBe(userId);
    await new Promise((r) => setTimeout(r, 1100));
    const v = await alpha("validate-session", "--endpoint-args", "refresh:false", "--data", body);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, uid: userId, realm: "/alpha" });
    const after = JSON.parse((await alpha("get-session-info", "--data", body)).stdout) as Record<
      string,
      string
    >;
    expect(after.latestAccessTime).toBe(before.latestAccessTime);
  });

  it("--all pages with _pagedResultsCookie, then logout-by-handle of the handles empties the query", async () => {
    const q = await alpha(
      "query-sessions",
      "--endpoint-args",
      byUser(),
      "--all",
      "--page-size",
      "2",
      "-o",
      "raw",
      "--query",
      "sessionHandle",
      "-v",
    );
    expect(q.code).toBe(0);
    const handles = q.stdout.trim().split("\n");
    expect(handles).toHaveLength(5);
    expect(new Set(handles).size).toBe(5);
    expect(handles.every((h) => h.startsWith("shandle:"))).toBe(true);
    expect(q.stderr.match(/_pagedResultsCookie=/g)).toHaveLength(2);
    const out = await alphaIn(JSON.stringify({ sessionHandles: handles }), "logout-by-handle", "--data", "-");
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ result: Object.fromEntries(handles.map((h) => [h, true])) });
    const again = await alpha("query-sessions", "--endpoint-args", byUser(), "--all", "-o", "ndjson");
    expect(again.code).toBe(0);
    expect(again.stdout).toBe("");
    const gone = await alpha("validate-session", "--data", JSON.stringify({ tokenId: tokens[1] }));
    expect(JSON.parse(gone.stdout)).toEqual({ valid: false });
  });

  it("a query's result piped into logout-by-handle, as the seed's flow reads", async () => {
    tokens.push(await login(), await login());
    const q = await alpha(
      "query-sessions",
      "--endpoint-args",
      byUser(),
      "--query",
      "{sessionHandles: result[].sessionHandle}",
    );
    const out = await alphaIn(q.stdout, "logout-by-handle", "--data", "-");
    expect(Object.values((JSON.parse(out.stdout) as { result: Record<string, boolean> }).result)).toEqual([
      true,
      true,
    ]);
  });

  it("root-realm operations reach /am/json/realms/root/sessions; CREST errors map to exit codes", async () => {
    const r = await am(["--operation-id", "root-validate-session", "--data", '{"tokenId":"nope"}', "-v"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("/am/json/realms/root/sessions?_action=validate ->");
    const missing = await am([
      "--operation-id",
      "query-sessions",
      "--url-suffix",
      "realm:nosuch",
      "--endpoint-args",
      "_queryFilter:true",
    ]);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toBe('opcli: HTTP 404: Realm "/nosuch" not found\n');
    const bad = await alpha(
      "update-session-properties",
      "--data",
      JSON.stringify({ tokenId: await login(), AuthLevel: "5" }),
    );
    expect(bad.code).toBe(4);
  });
});
