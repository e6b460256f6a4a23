import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { pollApprovedCodes } from "../helpers/device-codes.js";
import { createTestDatabase, pgQuery } from "../helpers/postgres.js";
import { redisServers, stopOwnRedis } from "../helpers/redis.js";
import {
  adminToken,
  loginOverHttp,
  type RunningServer,
  SERVER_BIN,
  serverStats,
  startServer,
} from "../helpers/spawn-server.js";

// Several server processes on one PostgreSQL database, then the same with their sessions in one
// Redis (cacheProviderType REDIS, sessionIdPersistInCache): every rule holds across them.

const PASSWORD = "cluster-password-long";
const SESSIONS = "/jans-config-api/api/v1/jans-auth-server/session";
const running: RunningServer[] = [];
afterAll(async () => {
  for (const s of running) await s.stop("SIGKILL");
  await stopOwnRedis();
});

interface Setup {
  name: string;
  /** Server configuration and environment beyond the database. */
  extra(): Promise<{ config: Record<string, unknown>; env: Record<string, string> }>;
  /** Where the live sessions are: in the database, or in Redis and not in the database. */
  sessionsInDatabase: boolean;
}

const SETUPS: Setup[] = [
  { name: "PostgreSQL", extra: async () => ({ config: {}, env: {} }), sessionsInDatabase: true },
  {
    name: "PostgreSQL + Redis",
    extra: async () => ({
      config: {
        cacheProviderType: "REDIS",
        sessionIdPersistInCache: true,
        redisConfiguration: { servers: await redisServers() },
      },
      // One key prefix per cluster: the clusters of this file share the suite's Redis.
      env: { OPCLI_REDIS_KEY_PREFIX: `c${randomBytes(4).toString("hex")}` },
    }),
    sessionsInDatabase: false,
  },
];

/** N instances on a fresh database; users created through the CLI against the same URL. */
async function cluster(setup: Setup, n: number, config: Record<string, unknown> = {}, users: string[] = []) {
  const url = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), "opcli-pgsrv-"));
  const extra = await setup.extra();
  const cfg = {
    passwordHashCost: 1024,
    loginAttemptsPerAddressPerMinute: 100_000,
    ...extra.config,
    ...config,
  };
  const env = { ...process.env, XDG_DATA_HOME: dir, ...extra.env };
  const servers: RunningServer[] = [];
  for (let i = 0; i < n; i++) {
    const s = await startServer(
      cfg,
      dir,
      ["--store", url, "--issuer", "http://opcli-cluster.test/jans-auth"],
      env,
    );
    running.push(s);
    servers.push(s);
  }
  for (const u of users)
    execFileSync(
      process.execPath,
      // api-viewer: the device tests ask for the read scope, which a person needs a role for.
      [
        SERVER_BIN,
        "user",
        "create",
        "--username",
        u,
        "--role",
        "api-viewer",
        "--password-stdin",
        "--store",
        url,
      ],
      {
        input: `${PASSWORD}\n`,
        env: { ...process.env, XDG_DATA_HOME: dir },
      },
    );
  return { url, dir, servers };
}

const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
const form = (
  s: RunningServer,
  path: string,
  body: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  fetch(`${s.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(body),
    redirect: "manual",
  });

/** Live sessions the admin search finds by a fieldValuePair. */
async function found(s: RunningServer, pair: string): Promise<number> {
  const res = await fetch(`${s.url}${SESSIONS}/search?fieldValuePair=${encodeURIComponent(pair)}`, {
    headers: { authorization: `Bearer ${await adminToken(s)}` },
  });
  return ((await res.json()) as { totalEntriesCount: number }).totalEntriesCount;
}

describe.each(SETUPS)("three instances on $name", (setup) => {
  it("200 parallel logins of one user spread over the instances: exactly the cap", async () => {
    const { url, servers } = await cluster(setup, 3, { lockoutThreshold: 1000 }, ["alice"]);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => loginOverHttp(servers[i % 3]!, "alice", PASSWORD)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(190);
    for (const s of servers) expect(await found(s, "auth_user=alice")).toBe(10);
    const rows = await pgQuery(url, "SELECT count(*)::int AS n FROM sessions WHERE auth_user = 'alice'");
    expect(rows[0]!.n).toBe(setup.sessionsInDatabase ? 10 : 0);
  });

  it("50 parallel wrong passwords over the instances: at most the threshold evaluated, then locked everywhere, the right password refused", async () => {
    const threshold = 10;
    const { url, servers } = await cluster(setup, 3, { lockoutThreshold: threshold }, ["bob"]);
    const checks = async () =>
      sum(await Promise.all(servers.map(async (s) => (await serverStats(s)).passwordChecks)));
    const before = await checks();
    const wrong = await Promise.all(
      Array.from({ length: 50 }, (_, i) => loginOverHttp(servers[i % 3]!, "bob", `wrong-password-${i}`)),
    );
    expect(wrong.filter((r) => r.status === 200)).toHaveLength(0);
    // The right password goes only once the threshold of failures is recorded: what follows is no race.
    const [row] = await pgQuery(
      url,
      "SELECT failures, locked_until FROM login_attempts WHERE username = 'bob'",
    );
    expect(Number(row!.failures)).toBeGreaterThanOrEqual(threshold);
    expect(Number(row!.locked_until)).toBeGreaterThan(Date.now());
    expect((await checks()) - before).toBeLessThanOrEqual(threshold);
    const right = await Promise.all(servers.map((s) => loginOverHttp(s, "bob", PASSWORD)));
    expect(right.map((r) => r.status)).toEqual([423, 423, 423]);
    expect((await checks()) - before).toBeLessThanOrEqual(threshold);
  });
});

describe.each(SETUPS)("two instances on $name", (setup) => {
  // Device codes live in the database in both setups: once is enough.
  it.skipIf(!setup.sessionsInDatabase)(
    "20 device codes polled in parallel through both: one token each",
    async () => {
      const { servers } = await cluster(setup, 2, {}, ["dora"]);
      const [a, b] = servers as [RunningServer, RunningServer];
      const { statuses, approvals } = await pollApprovedCodes(a, b, { username: "dora", password: PASSWORD });
      expect(approvals).toEqual(Array(20).fill(200));
      expect(statuses.filter((s) => s === 200)).toHaveLength(20);
      expect(statuses.filter((s) => s === 400)).toHaveLength(60);
      expect((await serverStats(a)).deviceGrants + (await serverStats(b)).deviceGrants).toBe(20);
    },
  );

  it("a session deleted through A: its cookie, access token and refresh token are refused by B on the next request", async () => {
    const { url, dir, servers } = await cluster(setup, 2, {}, ["erin"]);
    const [a, b] = servers as [RunningServer, RunningServer];
    const rp = JSON.parse(
      execFileSync(
        process.execPath,
        [
          SERVER_BIN,
          "client",
          "create",
          "--name",
          "rp",
          "--scopes",
          "openid profile offline_access",
          "--redirect-uri",
          "https://rp.example/cb",
          "--store",
          url,
        ],
        { encoding: "utf8", env: { ...process.env, XDG_DATA_HOME: dir } },
      ),
    ) as { client_id: string; client_secret: string };
    const login = await loginOverHttp(a, "erin", PASSWORD);
    const { sid } = (await login.json()) as { sid: string };
    const cookie = /session_id=[^;]+/.exec(login.headers.get("set-cookie") ?? "")![0];
    const authorize = new URLSearchParams({
      response_type: "code",
      client_id: rp.client_id,
      redirect_uri: "https://rp.example/cb",
      scope: "openid profile offline_access",
      prompt: "none",
      state: "s",
    });
    const redirect = await fetch(`${b.url}/jans-auth/restv1/authorize?${authorize}`, {
      headers: { cookie },
      redirect: "manual",
    });
    const code = new URL(redirect.headers.get("location")!).searchParams.get("code")!;
    const basic = {
      authorization: `Basic ${Buffer.from(`${rp.client_id}:${rp.client_secret}`).toString("base64")}`,
    };
    const tokens = (await (
      await form(
        a,
        "/jans-auth/restv1/token",
        { grant_type: "authorization_code", code, redirect_uri: "https://rp.example/cb" },
        basic,
      )
    ).json()) as { access_token: string; refresh_token: string };
    const userinfo = (s: RunningServer) =>
      fetch(`${s.url}/jans-auth/restv1/userinfo`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
    const status = async (s: RunningServer) =>
      (
        (await (await fetch(`${s.url}/jans-auth/restv1/session_status`, { headers: { cookie } })).json()) as {
          state: string;
        }
      ).state;
    expect((await userinfo(b)).status).toBe(200);
    expect(await status(b)).toBe("authenticated");

    const admin = await adminToken(a);
    const del = await fetch(`${a.url}${SESSIONS}/sid/${sid}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(del.status).toBe(204);
    expect(await status(b)).toBe("unknown");
    expect((await userinfo(b)).status).toBe(401);
    const refreshed = await form(
      b,
      "/jans-auth/restv1/token",
      { grant_type: "refresh_token", refresh_token: tokens.refresh_token },
      basic,
    );
    expect(((await refreshed.json()) as { error: string }).error).toBe("invalid_grant");
  });
});
