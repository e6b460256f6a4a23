import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { load as yamlLoad } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EchoServer, startEcho } from "../helpers/echo-server.js";
import { isolatedEnv, OPCLI_BIN, runOpcliInProcess } from "../helpers/run-opcli.js";
import { seededServerDir } from "../helpers/seed-store.js";
import { type RunningServer, SERVER_BIN, startServer } from "../helpers/spawn-server.js";

const N = 5000;
let s: RunningServer;
let echo: EchoServer;
let env: Record<string, string>;
let seeded: { dir: string; sids: string[]; dns: string[] };

beforeAll(async () => {
  seeded = await seededServerDir(N, 500);
  s = await startServer({ passwordHashCost: 1024, maxSearchLimit: 500 }, seeded.dir);
  echo = await startEcho();
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

const all = (format: string, extra: string[] = []) =>
  runOpcliInProcess(["--operation-id", "search-session", "--all", "-o", format, ...extra], { env });

/** One RFC 4180 CSV line (no embedded newlines in this data). */
function csvRow(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => {
    const f = m[1]!;
    return f.startsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f;
  });
}

function sidsFrom(format: string, out: string): string[] {
  switch (format) {
    case "json":
      return (JSON.parse(out) as { sid: string }[]).map((x) => x.sid);
    case "ndjson":
    case "raw":
      return out
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { sid: string }).sid);
    case "yaml":
      return (yamlLoad(out) as { sid: string }[]).map((x) => x.sid);
    case "csv": {
      const [head, ...rows] = out.trim().split("\n").map(csvRow);
      const col = head!.findIndex((h) => h.toLowerCase() === "sid");
      return rows.map((r) => r[col]!);
    }
    default: {
      // A table on a pipe is tab-separated, its header first; the SID column holds full sids.
      const [head, ...rows] = out
        .trimEnd()
        .split("\n")
        .map((l) => l.split("\t"));
      const col = head!.indexOf("SID");
      return rows.map((r) => r[col]!);
    }
  }
}

describe("--all", () => {
  it.each(["json", "ndjson", "yaml", "csv", "table", "raw"])(
    "returns every one of %i sessions exactly once as %s".replace("%i", String(N)),
    async (format) => {
      const r = await all(format);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const sids = sidsFrom(format, r.stdout);
      expect(sids).toHaveLength(N);
      expect(new Set(sids)).toEqual(new Set(seeded.sids));
    },
  );

  it("applies --query per item and --columns while streaming", async () => {
    const users = await all("ndjson", ["--query", "sessionAttributes.auth_user"]);
    const lines = users.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as string);
    expect(lines).toHaveLength(N);
    expect(new Set(lines).size).toBe(500);
    const csv = await all("csv", ["--columns", "sid,sessionAttributes.auth_user", "--page-size", "500"]);
    const rows = csv.stdout.trim().split("\n");
    expect(rows[0]).toBe("sid,sessionAttributes.auth_user");
    expect(rows).toHaveLength(N + 1);
    expect(rows[1]).toMatch(/^[0-9a-f-]{36},seed-user-\d+$/);
  });

  it("--max-items stops early with a resume token; --resume carries on with nothing lost or repeated", async () => {
    const first = await all("ndjson", ["--max-items", "1234", "--page-size", "500"]);
    const token = /resume with --resume (\S+)/.exec(first.stderr)?.[1];
    expect(token).toBeTruthy();
    const rest = await all("ndjson", ["--resume", token!, "--page-size", "500"]);
    const sids = [...sidsFrom("ndjson", first.stdout), ...sidsFrom("ndjson", rest.stdout)];
    expect(sidsFrom("ndjson", first.stdout)).toHaveLength(1234);
    expect(sids).toHaveLength(N);
    expect(new Set(sids).size).toBe(N);
  });
});

describe("retries", () => {
  it("a GET that meets 503 + Retry-After twice succeeds on the third attempt", async () => {
    let n = 0;
    echo.requests.length = 0;
    echo.respond = () =>
      ++n <= 2
        ? { status: 503, headers: { "retry-after": "0" }, body: "{}" }
        : { status: 200, body: '{"ok":true}' };
    const r = await runOpcliInProcess(
      ["--operation-id", "get-sessions", "--host", echo.url, "--access-token", "t", "-v"],
      { env },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"ok":true}\n');
    expect(echo.requests).toHaveLength(3);
    expect(r.stderr.match(/-> 503/g)).toHaveLength(2);
    expect(r.stderr).toMatch(/retry 2\/2 of GET .* after HTTP 503, waiting 0 ms/);
  });

  it("gives up after --retries, and never retries a POST", async () => {
    echo.requests.length = 0;
    echo.respond = () => ({ status: 503, body: '{"message":"busy"}' });
    const get = await runOpcliInProcess(
      ["--operation-id", "get-sessions", "--host", echo.url, "--access-token", "t", "--retries", "1"],
      { env },
    );
    expect(get.code).toBe(6);
    expect(echo.requests).toHaveLength(2);
    echo.requests.length = 0;
    const post = await runOpcliInProcess(
      ["--operation-id", "post-login", "--host", echo.url, "--data", '{"username":"a","password":"b"}'],
      { env },
    );
    expect(post.code).toBe(6);
    expect(echo.requests).toHaveLength(1);
  });
});

describe("--batch", () => {
  it("deletes exactly the 2,000 listed sessions under concurrency 8, one result line per input line", async () => {
    const victims = seeded.sids.slice(0, 2000);
    const file = join(env.HOME!, "batch.ndjson");
    writeFileSync(
      file,
      `${victims.map((sid, i) => (i % 2 ? JSON.stringify({ operationId: "delete-session", urlSuffix: { sid } }) : JSON.stringify({ operationId: "delete-session", urlSuffix: `sid:${sid}` }))).join("\n")}\n`,
    );
    const r = await runOpcliInProcess(["--batch", file, "--concurrency", "8"], { env });
    expect(r.code).toBe(0);
    const results = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { index: number; status: number; ok: boolean });
    expect(results).toHaveLength(2000);
    expect(new Set(results.map((x) => x.index))).toEqual(new Set(victims.map((_, i) => i)));
    expect(results.every((x) => x.ok && x.status === 204)).toBe(true);
    expect(r.stderr).toBe("opcli: batch: 2000 ok, 0 failed\n");
    const left = await all("ndjson", ["--page-size", "500"]);
    const remaining = new Set(sidsFrom("ndjson", left.stdout));
    expect(remaining.size).toBe(N - 2000);
    for (const v of victims) expect(remaining.has(v)).toBe(false);
  });

  it("reports failures line by line and exits with the worst one's code", async () => {
    const lines = [
      JSON.stringify({ operationId: "get-session-by-id", urlSuffix: { sid: seeded.sids[4000] } }),
      JSON.stringify({ operationId: "get-session-by-id", urlSuffix: { sid: "nope" } }),
      "--operation-id get-sessions",
      JSON.stringify({ operationId: "no-such-op" }),
    ];
    const r = await runOpcliInProcess(["--batch", "-"], { env, input: `${lines.join("\n")}\n` });
    const results = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { index: number; status?: number; ok: boolean; error?: string });
    expect(results.sort((a, b) => a.index - b.index).map((x) => [x.index, x.ok, x.status])).toEqual([
      [0, true, 200],
      [1, false, 404],
      [2, true, 200],
      [3, false, undefined],
    ]);
    expect(results[3]!.error).toMatch(/unknown operation "no-such-op"/);
    expect(r.stderr).toBe("opcli: batch: 2 ok, 2 failed (error: 1, HTTP 404: 1)\n");
    expect(r.code).toBe(5);
  });
});

describe("--curl", () => {
  const shellEnv = () => ({ ...env, PATH: `${dirname(OPCLI_BIN)}:${process.env.PATH}` });
  const runCurl = (cmd: string) =>
    execFileSync("sh", ["-c", `${cmd.trim().replace(/ \\\n/g, " ")} -s -w '\\n%{http_code}'`], {
      env: shellEnv(),
      encoding: "utf8",
    });

  it("a search with fieldValuePair: real curl gets what opcli gets", async () => {
    const args = [
      "--operation-id",
      "search-session",
      "--endpoint-args",
      "fieldValuePair:auth_user=seed-user-7\\,expirationDate>2024-10-12 00:00:00,limit:5",
    ];
    const cmd = await runOpcliInProcess([...args, "--curl"], { env });
    expect(cmd.stdout).toContain(
      "fieldValuePair=auth_user%3Dseed-user-7%2CexpirationDate%3E2024-10-12%2000%3A00%3A00",
    );
    expect(cmd.stdout).toContain(
      '"Authorization: Bearer $(opcli --output-access-token --operation-id search-session)"',
    );
    const [body, code] = runCurl(cmd.stdout).split("\n");
    const direct = await runOpcliInProcess(args, { env });
    expect(code).toBe("200");
    // ttl counts down in whole seconds on a real clock: the two answers may be a second apart.
    const timeless = (text: string) =>
      JSON.parse(text, (k, v: unknown) => (k === "ttl" && typeof v === "number" ? "ttl" : v)) as unknown;
    expect(timeless(body!)).toEqual(timeless(direct.stdout));
  });

  it("a delete with an escaped DN, and a JSON POST", async () => {
    const del = (dn: string) => [
      "--operation-id",
      "revoke-user-session",
      "--url-suffix",
      `userDn:${dn.replace(/,/g, "\\,")}`,
    ];
    const cmd = await runOpcliInProcess([...del(seeded.dns[1]!), "--curl"], { env });
    expect(cmd.stdout).toContain("/session/user/inum%3Dseed-1%2Cou%3Dpeople%2Co%3Djans");
    expect(runCurl(cmd.stdout)).toBe("\n204");
    expect((await runOpcliInProcess(del(seeded.dns[1]!), { env })).code).toBe(5);
    expect((await runOpcliInProcess(del(seeded.dns[2]!), { env })).code).toBe(0);

    execFileSync(
      process.execPath,
      [SERVER_BIN, "user", "create", "--username", "curly", "--password-stdin", "--db", s.db],
      { input: "curly-password-1\n" },
    );
    const post = [
      "--operation-id",
      "post-login",
      "--data",
      '{"username":"curly","password":"curly-password-1"}',
    ];
    // Passwords are [redacted] in --curl unless asked for: this command is meant to run.
    const pc = await runOpcliInProcess([...post, "--curl", "--show-secrets"], { env });
    expect(pc.stdout).toContain('--data-binary \'{"username":"curly","password":"curly-password-1"}\'');
    const [body, code] = runCurl(pc.stdout).split("\n");
    expect(code).toBe("200");
    const direct = JSON.parse((await runOpcliInProcess(post, { env })).stdout) as Record<string, unknown>;
    expect(Object.keys(JSON.parse(body!)).sort()).toEqual(Object.keys(direct).sort());
    expect(direct).toMatchObject({ state: "authenticated", auth_user: "curly" });
  });

  it("--show-token puts the real token in; the default never does", async () => {
    const plain = await runOpcliInProcess(["--operation-id", "get-sessions", "--curl"], { env });
    expect(plain.stdout).not.toMatch(/eyJ/);
    const shown = await runOpcliInProcess(["--operation-id", "get-sessions", "--curl", "--show-token"], {
      env,
      printsToken: true,
    });
    expect(shown.stdout).toMatch(/-H 'Authorization: Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+'/);
  });
});
