import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runOpcliInProcess } from "../helpers/run-opcli.js";
import { loginOverHttp, ROOT, type RunningServer, SERVER_BIN, startServer } from "../helpers/spawn-server.js";

// opcli drives the admin console's API from its document (spec/admin.yaml), by operation ID:
// opcli in process against a spawned server.

const SPEC = join(ROOT, "spec/admin.yaml");
const PASSWORD = "admin-api-e2e-password";
let s: RunningServer;
let env: Record<string, string>;
const ids: Record<string, string> = {};

const admin = (...args: string[]) =>
  runOpcliInProcess(["--spec", SPEC, "--host", `${s.url}/api/admin`, ...args], { env });
const json = (out: string) => JSON.parse(out) as { total: number; items: Record<string, unknown>[] };

beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024, loginAttemptsPerAddressPerMinute: 0 });
  for (const u of ["ann", "ben", "cat"]) {
    const out = execFileSync(
      process.execPath,
      [SERVER_BIN, "user", "create", "--username", u, "--password-stdin", "--db", s.db],
      {
        input: `${PASSWORD}\n`,
      },
    );
    ids[u] = (JSON.parse(out.toString()) as { id: string }).id;
    for (let i = 0; i < 8; i++) expect((await loginOverHttp(s, u, PASSWORD)).status).toBe(200);
  }
  env = isolatedEnv({ OPCLI_CLIENT_ID: s.admin.client_id, OPCLI_CLIENT_SECRET: s.admin.client_secret });
});
afterAll(() => s?.stop());

describe("opcli on the admin console's document", () => {
  it("--info lists the operations of a tag", async () => {
    const r = await admin("--info", "Sessions");
    expect(r.code).toBe(0);
    for (const id of ["list-sessions", "terminate-session", "terminate-user-sessions"])
      expect(r.stdout).toContain(`Operation ID: ${id}`);
  });

  it("list-sessions --all follows limit/offset pages to every live session", async () => {
    const r = await admin(
      "--operation-id",
      "list-sessions",
      "--all",
      "--page-size",
      "5",
      "-o",
      "raw",
      "--query",
      "id",
    );
    expect(r.code, r.stderr).toBe(0);
    const sids = r.stdout.trim().split("\n");
    expect(sids).toHaveLength(24);
    expect(new Set(sids).size).toBe(24);
  });

  it("terminate-user-sessions by user: counted first with --dry-run, then every session of the user gone", async () => {
    const args = ["--operation-id", "terminate-user-sessions", "--endpoint-args", `userId:${ids.ben}`];
    const dry = await admin(...args, "--dry-run");
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, wouldAffect: 8 });
    const r = await admin(...args);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ userId: ids.ben, terminated: 8 });
    const left = await admin("--operation-id", "list-sessions", "--endpoint-args", `userId:${ids.ben}`);
    expect(json(left.stdout).total).toBe(0);
    const users = json((await admin("--operation-id", "list-users")).stdout);
    expect(users.items.map((u) => [u.username, u.sessions])).toEqual([
      ["ann", 8],
      ["ben", 0],
      ["cat", 8],
    ]);
  });

  it("terminate-session by id, and a second time: exit 5 with the server's reason", async () => {
    const [one] = json(
      (await admin("--operation-id", "list-sessions", "--endpoint-args", `userId:${ids.cat}`)).stdout,
    ).items;
    const r = await admin("--operation-id", "terminate-session", "--url-suffix", `id:${one!.id}`);
    expect(r.code, r.stderr).toBe(0);
    const again = await admin("--operation-id", "terminate-session", "--url-suffix", `id:${one!.id}`);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain("no live session with that sid");
  });

  it("a bad limit is refused before anything is sent (the document's bounds)", async () => {
    const r = await admin("--operation-id", "list-sessions", "--endpoint-args", "limit:0");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/limit/);
  });
});
