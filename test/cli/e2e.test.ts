import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EchoServer, startEcho } from "../helpers/echo-server.js";
import { capturedOutputs, isolatedEnv, runOpcli, runOpcliInProcess } from "../helpers/run-opcli.js";
import {
  adminToken,
  loginOverHttp,
  ROOT,
  type RunningServer,
  SERVER_BIN,
  startServer,
} from "../helpers/spawn-server.js";

const JANS = resolve(ROOT, "../shared/specs/jans-config-api.yaml");
const PASSWORD = "cli-e2e-password";
let s: RunningServer;
let echo: EchoServer;
let env: Record<string, string>;
const dns: Record<string, string> = {};
const sids: Record<string, string[]> = { admin: [], bob: [], carol: [] };

async function addUser(name: string, sessions: number) {
  const out = execFileSync(
    process.execPath,
    [SERVER_BIN, "user", "create", "--username", name, "--password-stdin", "--db", s.db],
    {
      input: `${PASSWORD}\n`,
    },
  );
  dns[name] = (JSON.parse(out.toString()) as { dn: string }).dn;
  for (let i = 0; i < sessions; i++) {
    const res = await loginOverHttp(s, name, PASSWORD);
    sids[name]!.push(((await res.json()) as { sid: string }).sid);
  }
}

beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024 });
  echo = await startEcho();
  await addUser("admin", 3);
  await addUser("bob", 2);
  await addUser("carol", 2);
  env = isolatedEnv({
    OPCLI_HOST: s.url,
    OPCLI_CLIENT_ID: s.admin.client_id,
    OPCLI_CLIENT_SECRET: s.admin.client_secret,
  });
});
afterAll(async () => {
  await s?.stop();
  await echo?.close();
});

const json = (text: string) =>
  JSON.parse(text) as Record<string, unknown> & { totalEntriesCount: number; entries: { sid: string }[] };

describe("session operations against the reference server", () => {
  it("get-sessions prints compact JSON on a pipe, nothing on stderr", async () => {
    const r = await runOpcliInProcess(["--operation-id", "get-sessions"], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(json(r.stdout).totalEntriesCount).toBe(7);
  });

  it("search-session with the Janssen fieldValuePair example", async () => {
    const r = await runOpcliInProcess(
      [
        "--operation-id",
        "search-session",
        "--endpoint-args",
        "fieldValuePair:auth_user=admin\\,expirationDate>2024-10-12 00:00:00,limit:2",
      ],
      { env },
    );
    expect(r.code).toBe(0);
    const page = json(r.stdout);
    expect(page.totalEntriesCount).toBe(3);
    expect(page.entries).toHaveLength(2);
  });

  it("get-session-by-id", async () => {
    const r = await runOpcliInProcess(
      ["--operation-id", "get-session-by-id", "--url-suffix", `sid:${sids.bob![0]}`],
      {
        env,
      },
    );
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ sid: sids.bob![0], userDn: dns.bob });
  });

  it("delete-session says what it did on 204 (stdout empty), then exits 5 on the 404", async () => {
    const sid = sids.carol![0]!;
    const ok = await runOpcliInProcess(["--operation-id", "delete-session", "--url-suffix", `sid:${sid}`], {
      env,
    });
    expect(ok).toMatchObject({ code: 0, stdout: "", stderr: `opcli: delete-session sid=${sid}: done\n` });
    const again = await runOpcliInProcess(
      ["--operation-id", "delete-session", "--url-suffix", `sid:${sid}`],
      { env },
    );
    expect(again.code).toBe(5);
    expect(again.stdout).toBe("");
    // One line: the summary says what the body says.
    expect(again.stderr).toBe("opcli: HTTP 404: no live session with that sid\n");
  });

  it("revoke-user-session takes a DN with escaped commas whole", async () => {
    const escaped = dns.bob!.replace(/,/g, "\\,");
    const r = await runOpcliInProcess(
      ["--operation-id", "revoke-user-session", "--url-suffix", `userDn:${escaped}`],
      {
        env,
      },
    );
    expect(r.code).toBe(0);
    const left = await runOpcliInProcess(
      ["--operation-id", "search-session", "--endpoint-args", "fieldValuePair:auth_user=bob"],
      { env },
    );
    expect(json(left.stdout).totalEntriesCount).toBe(0);
  });

  it("renders a paged result as a table", async () => {
    const r = await runOpcliInProcess(["--operation-id", "get-sessions", "--output", "table"], { env });
    expect(r.code).toBe(0);
    // On a pipe: tab-separated, the document's session columns, the footer on stderr.
    expect(r.stdout.split("\n")[0]).toBe("SID\tUSER\tCLIENT\tIP\tSTATE\tCREATED\tEXPIRES");
    expect(r.stdout).toContain(sids.admin![0]);
    expect(r.stderr).toMatch(/^opcli: \d+ of \d+ \(from 0\)\n$/);
  });
});

describe("documentation commands", () => {
  it("--info lists tags with counts; --info TAG takes both spellings", async () => {
    const tags = await runOpcliInProcess(["--info"], { env });
    expect(tags.stdout).toMatch(/AuthSessionManagement\s+5\s+Auth - Session Management/);
    const a = await runOpcliInProcess(["--info", "AuthSessionManagement"], { env });
    const b = await runOpcliInProcess(["--info", "Auth - Session Management"], { env });
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain("Operation ID: search-session");
    expect(a.stdout).toMatch(/fieldValuePair: .* \[string\]/);
    expect(a.stdout).toMatch(/url-suffix:\n {4}userDn: .* \[string\]/);
  });

  it("--schema prints properties with types and required flags, and a sample", async () => {
    const r = await runOpcliInProcess(["--schema", "Session"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Session: object\n/);
    expect(r.stdout).toMatch(/sid +string \(required\)/);
    expect(r.stdout).toMatch(/state +string one of unauthenticated\|authenticated \(required\)/);
    const body = await runOpcliInProcess(["--schema", "--operation-id", "post-login"], { env });
    expect(body.stdout).toMatch(/^LoginRequest: LoginRequest/);
    const sample = await runOpcliInProcess(["--schema-sample", "--operation-id", "post-login"], { env });
    expect(JSON.parse(sample.stdout)).toEqual({ username: "string", password: "string" });
  });

  it("--help shows the exit code table", async () => {
    const r = await runOpcliInProcess(["--help"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes:\n {2}0 {4}success/);
    expect(r.stdout).toContain("130  interrupted");
  });
});

describe("exit codes", () => {
  it.each([
    [["--bogus"], 2, /^opcli: unknown flag --bogus\n$/],
    [
      ["--operation-id", "get-session-by-idd", "--url-suffix", "sid:x"],
      2,
      /unknown operation "get-session-by-idd"; did you mean get-session-by-id/,
    ],
    [
      ["--operation-id", "search-session", "--endpoint-args", "limit:lots"],
      2,
      /limit must be an integer, not "lots"/,
    ],
    [
      ["--operation-id", "search-session", "--endpoint-args", "colour:red"],
      2,
      /has no parameter "colour"; valid: limit \(query, integer\)/,
    ],
    [
      ["--operation-id", "search-session", "--endpoint-args", "fieldValuePair:auth_user~x"],
      2,
      /fieldValuePair: pair "auth_user~x" has no operator/,
    ],
    [["--operation-id", "get-session-by-id"], 2, /needs sid \(--url-suffix "sid:VALUE"\)/],
    [["--info", "NoSuchTag"], 2, /unknown tag "NoSuchTag"/],
    [["--info", "--spec", "/nonexistent/spec.yaml"], 3, /cannot read spec \/nonexistent\/spec.yaml: ENOENT/],
    [
      ["--operation-id", "search-session", "--endpoint-args", "limit:999"],
      5,
      /HTTP 400: limit 999 is above the maximum of 200/,
    ],
  ])("%j exits %i", async (args, code, message) => {
    const r = await runOpcliInProcess(args, { env });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("4 when the client secret is wrong or the token is refused", async () => {
    const bad = await runOpcliInProcess(["--operation-id", "get-sessions"], {
      // A fresh cache: a cached token would (rightly) still be used whatever the secret.
      env: { ...env, HOME: isolatedEnv().HOME!, OPCLI_CLIENT_SECRET: "wrong" },
    });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/answered 401 invalid_client/);
    const refused = await runOpcliInProcess(
      ["--operation-id", "get-sessions", "--access-token", "not-a-token"],
      {
        env,
      },
    );
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/HTTP 401: access token is invalid/);
  });

  it("4 without credentials, with a hint", async () => {
    const r = await runOpcliInProcess(["--operation-id", "get-sessions"], {
      env: isolatedEnv({ OPCLI_HOST: s.url }),
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no client credentials: pass --client-id and --client-secret/);
  });

  it("6 on a 5xx, 7 on a refused connection", async () => {
    echo.respond = () => ({ status: 503, body: '{"message":"down for maintenance"}' });
    const five = await runOpcliInProcess(["--operation-id", "get-sessions", "--host", echo.url], {
      env: { ...env, OPCLI_ACCESS_TOKEN: "t" },
    });
    expect(five.code).toBe(6);
    expect(five.stderr).toMatch(/opcli: HTTP 503: down for maintenance/);
    const seven = await runOpcliInProcess(
      ["--operation-id", "get-sessions", "--host", "http://127.0.0.1:9"],
      {
        env: { ...env, OPCLI_ACCESS_TOKEN: "t" },
      },
    );
    expect(seven.code).toBe(7);
    expect(seven.stderr).toBe("opcli: connect ECONNREFUSED 127.0.0.1:9: nothing listens there\n");
  });

  it("130 when interrupted", async () => {
    echo.respond = () => ({ status: 200, body: "{}", delayMs: 10_000 });
    echo.requests.length = 0;
    let pid = 0;
    const run = runOpcli(["--operation-id", "get-sessions", "--host", echo.url], {
      env: { ...env, OPCLI_ACCESS_TOKEN: "t" },
      onSpawn: (p) => {
        pid = p;
      },
    });
    // Interrupt only once the request is in flight, so the handler is surely installed.
    while (echo.requests.length === 0) await new Promise((r) => setTimeout(r, 20));
    process.kill(pid, "SIGINT");
    const r = await run;
    expect(r.code).toBe(130);
    expect(r.stderr).toBe("opcli: interrupted\n");
  });
});

describe("request encoding, seen by the server", () => {
  it("sends fieldValuePair percent-encoded as the Janssen docs show, and the token as a bearer header", async () => {
    echo.requests.length = 0;
    echo.respond = () => ({
      status: 200,
      body: '{"start":0,"totalEntriesCount":0,"entriesCount":0,"entries":[]}',
    });
    const r = await runOpcliInProcess(
      [
        "--operation-id",
        "search-session",
        "--host",
        echo.url,
        "--access-token",
        "tok-123",
        "--endpoint-args",
        "fieldValuePair:auth_user=admin\\,expirationDate>2024-10-12 00:00:00",
      ],
      { env },
    );
    expect(r.code).toBe(0);
    expect(echo.requests[0]?.url).toBe(
      "/jans-config-api/api/v1/jans-auth-server/session/search?fieldValuePair=auth_user%3Dadmin%2CexpirationDate%3E2024-10-12%2000%3A00%3A00",
    );
    expect(echo.requests[0]?.headers.authorization).toBe("Bearer tok-123");
    expect(echo.requests[0]?.headers.accept).toBe("application/json");
  });

  it("sends a DN path parameter as one encoded segment and never as a query parameter", async () => {
    echo.requests.length = 0;
    echo.respond = () => ({ status: 204 });
    await runOpcliInProcess(
      [
        "--operation-id",
        "revoke-user-session",
        "--host",
        echo.url,
        "--access-token",
        "t",
        "--url-suffix",
        "userDn:inum=1\\,ou=people\\,o=jans",
      ],
      { env },
    );
    // A count of what it would end is read first (x-opcli-affected), then the DELETE.
    const del = echo.requests.find((r) => r.method === "DELETE");
    expect(echo.requests.filter((r) => r.method === "DELETE")).toHaveLength(1);
    expect(del?.url).toBe(
      "/jans-config-api/api/v1/jans-auth-server/session/user/inum%3D1%2Cou%3Dpeople%2Co%3Djans",
    );
  });

  it("sends a path parameter of dots encoded, never resolved to another path", async () => {
    echo.requests.length = 0;
    echo.respond = () => ({ status: 200, body: "{}" });
    const r = await runOpcliInProcess(
      [
        "--operation-id",
        "get-session-by-id",
        "--host",
        echo.url,
        "--access-token",
        "t",
        "--url-suffix",
        "sid:..",
      ],
      { env },
    );
    expect(r.code).toBe(0);
    expect(echo.requests[0]?.url).toBe("/jans-config-api/api/v1/jans-auth-server/session/sid/%2E%2E");
  });

  it("--debug shows the exchange on stderr with credentials redacted", async () => {
    const r = await runOpcliInProcess(["--operation-id", "get-sessions", "--debug"], {
      env: { ...env, OPCLI_TOKEN_STORE: "none" },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/> POST http:\/\/127\.0\.0\.1:\d+\/jans-auth\/restv1\/token/);
    expect(r.stderr).toContain("> authorization: Basic [redacted]");
    expect(r.stderr).toContain('"access_token":"[redacted]"');
    expect(r.stderr).toContain("> authorization: Bearer [redacted]");
    expect(r.stderr).toMatch(/< 200 OK/);
  });
});

describe("the real Janssen document, unchanged", () => {
  const jansEnv = () => ({ ...env, OPCLI_HOST: `${s.url}/jans-config-api` });

  it("--info AuthSessionManagement lists its five session operations with parameters", async () => {
    const r = await runOpcliInProcess(["--spec", JANS, "--info", "AuthSessionManagement"], {
      env: jansEnv(),
    });
    expect(r.code).toBe(0);
    const ids = [...r.stdout.matchAll(/^Operation ID: (.+)$/gm)].map((m) => m[1]).sort();
    expect(ids).toEqual([
      "delete-session",
      "get-session-by-id",
      "get-sessions",
      "revoke-user-session",
      "search-session",
    ]);
    expect(r.stdout).toMatch(/fieldValuePair: Field and value pair for seraching \[string\]/);
    expect(r.stdout).toMatch(/sid: Session identifier\. \[string\]/);
  });

  it("a cached token costs no network but the operation: discovery is cached with it, by host", async () => {
    const fresh = isolatedEnv({
      OPCLI_HOST: `${s.url}/jans-config-api`,
      OPCLI_CLIENT_ID: s.admin.client_id,
      OPCLI_CLIENT_SECRET: s.admin.client_secret,
    });
    const run = () =>
      runOpcliInProcess(["--spec", JANS, "--operation-id", "get-sessions", "-v"], { env: fresh });
    const requestLines = (stderr: string) => stderr.split("\n").filter((l) => / -> \d{3} \(/.test(l));
    const first = await run();
    expect(first.code).toBe(0);
    expect(requestLines(first.stderr).map((l) => l.split(" ")[1])).toEqual([
      `${s.url}/.well-known/openid-configuration`,
      `${s.url}/jans-auth/restv1/token`,
      `${s.url}/jans-config-api/api/v1/jans-auth-server/session`,
    ]);
    const second = await run();
    expect(second.code).toBe(0);
    expect(requestLines(second.stderr)).toHaveLength(1);
    expect(requestLines(second.stderr)[0]).toContain("GET ");
    expect(second.stderr).not.toContain("openid-configuration");
  });

  it("runs each operation against the reference server (token URL found by discovery)", async () => {
    const run = (args: string[]) => runOpcliInProcess(["--spec", JANS, ...args], { env: jansEnv() });
    const all = await run(["--operation-id", "get-sessions"]);
    expect(all.code).toBe(0);
    expect(json(all.stdout).totalEntriesCount).toBe(4);
    const found = await run([
      "--operation-id",
      "search-session",
      "--endpoint-args",
      "fieldValuePair:auth_user=admin,sortBy:expirationDate",
    ]);
    expect(json(found.stdout).totalEntriesCount).toBe(3);
    const one = await run(["--operation-id", "get-session-by-id", "--url-suffix", `sid:${sids.admin![0]}`]);
    expect(json(one.stdout)).toMatchObject({ sid: sids.admin![0] });
    expect(
      (await run(["--operation-id", "delete-session", "--url-suffix", `sid:${sids.admin![0]}`])).code,
    ).toBe(0);
    const revoke = await run([
      "--operation-id",
      "revoke-user-session",
      "--url-suffix",
      `userDn:${dns.admin!.replace(/,/g, "\\,")}`,
    ]);
    expect(revoke.code).toBe(0);
    expect(
      (await run(["--operation-id", "get-session-by-id", "--url-suffix", `sid:${sids.admin![1]}`])).code,
    ).toBe(5);
  });
});

describe("secrets", () => {
  it("no token or client secret appears in any captured output", async () => {
    const token = await adminToken(s);
    const jwt = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./;
    expect(capturedOutputs.length).toBeGreaterThan(20);
    for (const out of capturedOutputs) {
      expect(out).not.toMatch(jwt);
      expect(out).not.toContain(s.admin.client_secret);
      expect(out).not.toContain(token);
    }
  });
});

describe("request bodies and the config file", () => {
  it("--data takes JSON inline, from @file and from stdin (post-login creates a session)", async () => {
    const body = JSON.stringify({ username: "carol", password: PASSWORD });
    const file = join(env.HOME!, "login.json");
    writeFileSync(file, body);
    for (const [data, input] of [
      [body, ""],
      [`@${file}`, ""],
      ["-", body],
    ] as const) {
      const r = await runOpcliInProcess(["--operation-id", "post-login", "--data", data], { env, input });
      expect(r.stderr).toBe("");
      expect(JSON.parse(r.stdout)).toMatchObject({ state: "authenticated", auth_user: "carol" });
    }
    const bad = await runOpcliInProcess(["--operation-id", "post-login", "--data", "{nope"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^opcli: --data is not valid JSON/);
    const missing = await runOpcliInProcess(["--operation-id", "post-login"], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/post-login needs a request body/);
    const wrongPassword = await runOpcliInProcess(
      ["--operation-id", "post-login", "--data", '{"username":"carol","password":"nope-nope-nope"}'],
      { env },
    );
    expect(wrongPassword.code).toBe(4);
  });

  it("reads host and client credentials from the config file, refusing one others can read", async () => {
    const home = isolatedEnv();
    const dir = join(home.HOME!, ".config", "opcli");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, "config.json");
    writeFileSync(
      file,
      JSON.stringify({ host: s.url, clientId: s.admin.client_id, clientSecret: s.admin.client_secret }),
      { mode: 0o600 },
    );
    const ok = await runOpcliInProcess(["--operation-id", "get-sessions"], { env: home });
    expect(ok.code).toBe(0);
    expect(json(ok.stdout).totalEntriesCount).toBeGreaterThan(0);
    chmodSync(file, 0o644);
    const refused = await runOpcliInProcess(["--operation-id", "get-sessions"], { env: home });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/holds a client secret but is readable by others; run chmod 600/);
  });
});

describe("embedded default", () => {
  it("with no host, runs against the embedded server over a local store seeded through real logins", async () => {
    const fresh = isolatedEnv();
    const r = await runOpcliInProcess(
      ["--operation-id", "search-session", "--endpoint-args", "fieldValuePair:auth_user=demo-user-001"],
      {
        env: fresh,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^opcli: no host configured; using the embedded reference server over a new local store \(.*\/opcli\/server\.db\); --host or a profile points opcli at a real one\n$/,
    );
    const page = json(r.stdout);
    expect(page.totalEntriesCount).toBe(2);
    expect(page.entries[0]).toMatchObject({
      state: "authenticated",
      sessionAttributes: { acr: "simple_password_auth" },
    });
    const again = await runOpcliInProcess(["--operation-id", "get-sessions"], { env: fresh });
    expect(json(again.stdout).totalEntriesCount).toBe(10);
    // Announced once per store: later calls, and usage errors, say nothing of it.
    expect(again.stderr).toBe("");
    const usage = await runOpcliInProcess(["--operation-id", "get-sesions"], { env: fresh });
    expect(usage.code).toBe(2);
    expect(usage.stderr).not.toContain("embedded");
  });

  it("an explicit profile without a host is a configuration error, never the demo store", async () => {
    const fresh = isolatedEnv();
    expect(
      (await runOpcliInProcess(["config", "set", "--profile", "prod", "clientId", "ci"], { env: fresh }))
        .code,
    ).toBe(0);
    const ways: { args: string[]; env: Record<string, string> }[] = [
      { args: ["--profile", "prod"], env: {} },
      { args: [], env: { OPCLI_PROFILE: "prod" } },
    ];
    for (const how of ways) {
      const r = await runOpcliInProcess(["--operation-id", "get-sessions", ...how.args], {
        env: { ...fresh, ...how.env },
      });
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(
        'opcli: profile "prod" has no host: opcli config set --profile prod host URL (or --host)\n',
      );
      expect(r.stdout).toBe("");
    }
  });
});
