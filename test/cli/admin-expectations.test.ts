import { execFileSync } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, OPCLI_BIN, runOpcliInProcess, runOpcliInPty } from "../helpers/run-opcli.js";
import { adminToken, type RunningServer, SERVER_BIN, startServer } from "../helpers/spawn-server.js";

// The CLI as admins and scripts expect it (issue 17): honest --all, safe deletes, one quoting rule,
// a user addressed by name. opcli in process (on a terminal: spawned) against a spawned reference server of 250 sessions.

let s: RunningServer;
let env: Record<string, string>;

const json = (t: string) =>
  JSON.parse(t) as { totalEntriesCount: number; entries: { sid: string; userDn: string }[] };
const live = async (sid: string) =>
  (
    await fetch(`${s.url}/jans-config-api/api/v1/jans-auth-server/session/sid/${sid}`, {
      headers: { authorization: `Bearer ${await adminToken(s)}` },
    })
  ).status === 200;
const userSessions = async (dn: string) =>
  json(
    (
      await runOpcliInProcess(
        ["--operation-id", "search-session", "--endpoint-args", `fieldValuePair:userDn="${dn}",limit:50`],
        { env },
      )
    ).stdout,
  ).entries;

beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024, loginAttemptsPerAddressPerMinute: 100_000 });
  execFileSync(
    process.execPath,
    [
      SERVER_BIN,
      "seed",
      "--users",
      "50",
      "--sessions-per-user",
      "5",
      "--db",
      s.db,
      "--config",
      join(s.dir, "config.json"),
    ],
    { stdio: "ignore" },
  );
  env = isolatedEnv({
    OPCLI_HOST: s.url,
    OPCLI_CLIENT_ID: s.admin.client_id,
    OPCLI_CLIENT_SECRET: s.admin.client_secret,
  });
}, 120_000);
afterAll(() => s?.stop());

describe("--all never returns a silent subset", () => {
  it("get-sessions (one page of 50 of 250) exits 8 naming the operation that pages", async () => {
    const r = await runOpcliInProcess(["--operation-id", "get-sessions", "--all", "-o", "ndjson"], { env });
    expect(r.code).toBe(8);
    expect(r.stdout.trim().split("\n")).toHaveLength(50);
    expect(r.stderr).toBe(
      "opcli: get-sessions returned 50 of 250 items and cannot page; search-session pages (--all)\n",
    );
    const all = await runOpcliInProcess(["--operation-id", "search-session", "--all", "-o", "ndjson"], {
      env,
    });
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split("\n")).toHaveLength(250);
  });
});

describe("deletes and revokes", () => {
  it("say what they did, repeat with --ignore-not-found, and --dry-run changes nothing", async () => {
    const [first] = json(
      (await runOpcliInProcess(["--operation-id", "get-sessions"], { env })).stdout,
    ).entries;
    const sid = first!.sid;
    const dry = await runOpcliInProcess(
      ["--operation-id", "delete-session", "--url-suffix", `sid:${sid}`, "--dry-run"],
      { env },
    );
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      request: { method: "DELETE" },
      wouldAffect: 1,
    });
    expect(await live(sid)).toBe(true);
    const del = await runOpcliInProcess(["--operation-id", "delete-session", "--url-suffix", `sid:${sid}`], {
      env,
    });
    expect(del.code).toBe(0);
    expect(del.stderr).toBe(`opcli: delete-session sid=${sid}: done\n`);
    expect(await live(sid)).toBe(false);
    const again = await runOpcliInProcess(
      ["--operation-id", "delete-session", "--url-suffix", `sid:${sid}`],
      { env },
    );
    expect(again.code).toBe(5);
    expect(again.stderr).toBe("opcli: HTTP 404: no live session with that sid\n");
    const ok = await runOpcliInProcess(
      ["--operation-id", "delete-session", "--url-suffix", `sid:${sid}`, "--ignore-not-found"],
      { env },
    );
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe(`opcli: delete-session sid=${sid}: not found; nothing to do\n`);
  });

  it("a user-wide revoke takes the quoted DN, counts first, and asks only on a terminal", async () => {
    const entries = json(
      (await runOpcliInProcess(["--operation-id", "get-sessions"], { env })).stdout,
    ).entries;
    const dn = entries.find((e) => e.userDn !== entries[0]!.userDn)!.userDn;
    const before = (await userSessions(dn)).length;
    expect(before).toBeGreaterThan(1);
    const args = ["--operation-id", "revoke-user-session", "--url-suffix", `userDn:"${dn}"`];
    const dry = await runOpcliInProcess([...args, "--dry-run"], { env });
    expect(JSON.parse(dry.stdout).wouldAffect).toBe(before);
    // On a terminal it asks; "n" sends nothing.
    const no = await runOpcliInPty(args, { env, answer: { when: "[y/N]", type: "n\r" } });
    expect(no.stdout).toContain(`revoke-user-session userDn=${dn}: ${before} affected. Go ahead? [y/N]`);
    expect(no.code).toBe(2);
    expect(await userSessions(dn)).toHaveLength(before);
    // In a script it never asks.
    const r = await runOpcliInProcess(args, { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`opcli: revoke-user-session userDn=${dn}: done, ${before} affected\n`);
    expect(await userSessions(dn)).toHaveLength(0);
  });

  it("--yes skips the question on a terminal", async () => {
    const entries = json(
      (await runOpcliInProcess(["--operation-id", "get-sessions"], { env })).stdout,
    ).entries;
    const dn = entries.at(-1)!.userDn;
    const r = await runOpcliInPty(
      ["--operation-id", "revoke-user-session", "--url-suffix", `userDn:"${dn}"`, "--yes"],
      { env },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("[y/N]");
    expect(await userSessions(dn)).toHaveLength(0);
  });

  it("a user named by name: the documented recipe (search, --query, then revoke) works as written", async () => {
    const entries = json(
      (await runOpcliInProcess(["--operation-id", "get-sessions"], { env })).stdout,
    ).entries;
    const dn = entries[0]!.userDn;
    const name = ((await userSessions(dn))[0] as unknown as { sessionAttributes: { auth_user: string } })
      .sessionAttributes.auth_user;
    const recipe = `dn=$(opcli --operation-id search-session --endpoint-args "fieldValuePair:auth_user=${name},limit:1" --query 'entries[0].userDn' -o raw) && opcli --operation-id revoke-user-session --url-suffix "userDn:\\"$dn\\""`;
    const bin = mkdtempSync(join(tmpdir(), "opcli-path-"));
    symlinkSync(OPCLI_BIN, join(bin, "opcli"));
    execFileSync("sh", ["-c", recipe], {
      env: { ...env, PATH: `${bin}:${process.env.PATH}` },
      stdio: "ignore",
    });
    expect(await userSessions(dn)).toHaveLength(0);
  });
});
