import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminToken,
  loginOverHttp,
  type RunningServer,
  SERVER_BIN,
  startServer,
} from "../helpers/spawn-server.js";

const PASSWORD = "e2e-password-long";
let s: RunningServer;
let token: string;
let userDn: string;
const sids: string[] = [];
const cookies: string[] = [];
const base = () => `${s.url}/jans-config-api/api/v1/jans-auth-server/session`;

beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024 });
  const out = execFileSync(
    process.execPath,
    [SERVER_BIN, "user", "create", "--username", "erin", "--password-stdin", "--db", s.db],
    {
      input: `${PASSWORD}\n`,
    },
  );
  userDn = (JSON.parse(out.toString()) as { dn: string }).dn;
  for (let i = 0; i < 3; i++) {
    const res = await loginOverHttp(s, "erin", PASSWORD);
    expect(res.status).toBe(200);
    cookies.push(/session_id=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")![1]!);
    sids.push(((await res.json()) as { sid: string }).sid);
  }
  token = await adminToken(s);
});
afterAll(async () => {
  await s?.stop();
});

const auth = () => ({ authorization: `Bearer ${token}` });

describe("reference server over a real port", () => {
  it("writes the admin credentials 0600", () => {
    expect(statSync(`${s.dir}/admin-client.json`).mode & 0o777).toBe(0o600);
    expect(statSync(s.db).mode & 0o777).toBe(0o600);
  });

  it("serves every session operation", async () => {
    const all = (await (await fetch(base(), { headers: auth() })).json()) as { totalEntriesCount: number };
    expect(all.totalEntriesCount).toBe(3);
    const search = await fetch(
      `${base()}/search?fieldValuePair=${encodeURIComponent("auth_user=erin,state=authenticated")}&limit=2`,
      {
        headers: auth(),
      },
    );
    expect(await search.json()).toMatchObject({ totalEntriesCount: 3, entriesCount: 2 });
    const one = await fetch(`${base()}/sid/${sids[0]}`, { headers: auth() });
    expect(await one.json()).toMatchObject({
      sid: sids[0],
      userDn,
      sessionAttributes: { remote_ip: "127.0.0.1" },
    });
    expect((await fetch(`${base()}/sid/${sids[0]}`, { method: "DELETE", headers: auth() })).status).toBe(204);
    expect((await fetch(`${base()}/sid/${sids[0]}`, { headers: auth() })).status).toBe(404);
    const revoke = await fetch(`${base()}/user/${encodeURIComponent(userDn)}`, {
      method: "DELETE",
      headers: auth(),
    });
    expect(revoke.status).toBe(204);
    const after = (await (await fetch(base(), { headers: auth() })).json()) as { totalEntriesCount: number };
    expect(after.totalEntriesCount).toBe(0);
    const status = await fetch(`${s.url}/jans-auth/restv1/session_status`, {
      headers: { cookie: `session_id=${cookies[1]}` },
    });
    expect(await status.json()).toEqual({ state: "unknown" });
  });

  it("answers health and 401s without a token", async () => {
    expect(await (await fetch(`${s.url}/health`)).json()).toEqual({ status: "ok" });
    const res = await fetch(base());
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("/health tells anyone up or down and nothing else; its counters need an admin token that may read", async () => {
    for (const authorization of [undefined, "Bearer not-a-token", `Bearer ${token}x`]) {
      const res = await fetch(`${s.url}/health`, authorization ? { headers: { authorization } } : {});
      expect(await res.json()).toEqual({ status: "ok" });
    }
    const admin = await fetch(`${s.url}/health`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await admin.json()) as { store: string; stats: { passwordChecks: number } };
    expect(body).toMatchObject({ status: "ok", store: "sqlite" });
    expect(typeof body.stats.passwordChecks).toBe("number");
  });

  it("logs requests as JSON lines without tokens, cookies, secrets or sids", async () => {
    const logs = s.logs();
    const lines = logs.trim().split("\n");
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(logs).toMatch(/"route":"\/jans-config-api\/api\/v1\/jans-auth-server\/session\/sid\/:sid"/);
    for (const secret of [token, s.admin.client_secret, ...cookies, ...sids, PASSWORD])
      expect(logs).not.toContain(secret);
  });

  it("shuts down cleanly on SIGTERM, finishing an in-flight request", async () => {
    const slow = fetch(`${base()}/search?pattern=${"x".repeat(3)}`, { headers: auth() });
    // In flight means accepted: a connection still in the listen backlog when the listener
    // closes is reset by the kernel, for any server (this raced under a loaded machine).
    await new Promise((r) => setTimeout(r, 100));
    const code = await s.stop("SIGTERM");
    expect(code).toBe(0);
    expect((await slow).status).toBe(200);
    const lines = s
      .logs()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ msg: "shutting down", signal: "SIGTERM" }));
  });
});

describe("server command line", () => {
  it("exits 2 on a bad flag and 3 on a bad config, with one line", () => {
    const run = (args: string[]) => {
      try {
        execFileSync(process.execPath, [SERVER_BIN, ...args], { stdio: "pipe" });
        return { code: 0, err: "" };
      } catch (e) {
        const err = e as { status: number; stderr: Buffer };
        return { code: err.status, err: err.stderr.toString() };
      }
    };
    const bad = run(["--bogus"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^opcli-server: Unknown option '--bogus'/);
    const cfg = run(["--config", "/nonexistent.json", "--port", "0"]);
    expect(cfg.code).toBe(3);
    expect(cfg.err).toMatch(/^opcli-server: cannot read config/);
    expect(cfg.err).not.toMatch(/\n\s+at /);
  });

  it("refuses a short password with exit 3", () => {
    try {
      execFileSync(
        process.execPath,
        [SERVER_BIN, "user", "create", "--username", "x", "--password-stdin", "--db", `${s.dir}/other.db`],
        {
          input: "short\n",
          stdio: "pipe",
        },
      );
      expect.unreachable();
    } catch (e) {
      expect((e as { status: number }).status).toBe(3);
      expect((e as { stderr: Buffer }).stderr.toString()).toMatch(/at least 12 characters/);
    }
  });
});
