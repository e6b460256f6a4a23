import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../src/server/core/config.js";
import { connectRedis } from "../../src/server/store/redis/connect.js";
import { startRedisServer, stopRedisServer } from "../helpers/redis.js";
import {
  adminToken,
  loginOverHttp,
  type RunningServer,
  SERVER_BIN,
  startServer,
} from "../helpers/spawn-server.js";

// The server with its sessions in Redis (cacheProviderType REDIS, sessionIdPersistInCache): the
// session is in Redis and not in the database, and Redis going away under load gives 503 with
// Retry-After, never 500, and service again once it is back, without a restart.

const PASSWORD = "redis-password-long";
const SESSIONS = "/jans-config-api/api/v1/jans-auth-server/session";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const running: RunningServer[] = [];
const redises: Awaited<ReturnType<typeof startRedisServer>>[] = [];
afterAll(async () => {
  for (const s of running) await s.stop("SIGKILL");
  for (const r of redises) await stopRedisServer(r.proc);
});

async function serverOnRedis(port: number, prefix: string, persist = true): Promise<RunningServer> {
  const config = {
    passwordHashCost: 1024,
    loginAttemptsPerAddressPerMinute: 1_000_000,
    cacheProviderType: "REDIS",
    sessionIdPersistInCache: persist,
    redisConfiguration: { redisProviderType: "STANDALONE", servers: `127.0.0.1:${port}` },
  };
  const s = await startServer(config, undefined, [], { ...process.env, OPCLI_REDIS_KEY_PREFIX: prefix });
  running.push(s);
  execFileSync(
    process.execPath,
    [SERVER_BIN, "user", "create", "--username", "rita", "--password-stdin", "--db", s.db],
    {
      input: `${PASSWORD}\n`,
    },
  );
  return s;
}

describe("the server with its sessions in Redis", () => {
  it("keeps a signed-in session in Redis, finds it by sid and by search, and ends it at once", async () => {
    const r = await startRedisServer();
    redises.push(r);
    const prefix = `p${randomBytes(4).toString("hex")}`;
    const s = await serverOnRedis(r.port, prefix);
    const login = await loginOverHttp(s, "rita", PASSWORD);
    expect(login.status).toBe(200);
    const { sid } = (await login.json()) as { sid: string };
    const conn = await connectRedis(
      { ...DEFAULT_CONFIG.redisConfiguration, servers: `127.0.0.1:${r.port}` },
      undefined,
    );
    try {
      expect(await conn.get(`{${prefix}}:s:${sid}`)).toContain(sid);
    } finally {
      await conn.close();
    }
    const auth = { authorization: `Bearer ${await adminToken(s)}` };
    expect((await fetch(`${s.url}${SESSIONS}/sid/${sid}`, { headers: auth })).status).toBe(200);
    const found = (await (
      await fetch(`${s.url}${SESSIONS}/search?fieldValuePair=sid%3D${sid}`, { headers: auth })
    ).json()) as {
      totalEntriesCount: number;
    };
    expect(found.totalEntriesCount).toBe(1);
    expect(
      (await fetch(`${s.url}${SESSIONS}/sid/${sid}`, { method: "DELETE", headers: auth })).status,
    ).toBeLessThan(300);
    expect((await fetch(`${s.url}${SESSIONS}/sid/${sid}`, { headers: auth })).status).toBe(404);
  });

  it("Redis stopped under load: 503 with Retry-After while it is down, never 500, 200 again once it is back", async () => {
    const r = await startRedisServer();
    redises.push(r);
    const s = await serverOnRedis(r.port, `p${randomBytes(4).toString("hex")}`);
    const auth = { authorization: `Bearer ${await adminToken(s)}` };
    const seen: { at: number; status: number; retryAfter: string | null }[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const res = await fetch(`${s.url}${SESSIONS}`, { headers: auth });
        await res.body?.cancel();
        seen.push({ at: Date.now(), status: res.status, retryAfter: res.headers.get("retry-after") });
        if (res.status !== 200) await sleep(20);
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, worker));
    await sleep(400);
    await stopRedisServer(r.proc);
    const stoppedAt = Date.now();
    await sleep(1500);
    // Down until the restart begins (it answers before startRedisServer has seen it answer).
    const restartAt = Date.now();
    const again = await startRedisServer(r.port);
    redises.push(again);
    const startedAt = Date.now();
    for (let i = 0; i < 200 && !seen.some((x) => x.at > startedAt && x.status === 200); i++) await sleep(50);
    await sleep(300);
    stop = true;
    await load;
    expect([...new Set(seen.map((x) => x.status))].sort()).toEqual([200, 503]);
    const down = seen.filter((x) => x.at > stoppedAt + 200 && x.at < restartAt);
    expect(down.length).toBeGreaterThan(0);
    expect(down.every((x) => x.status === 503 && x.retryAfter !== null)).toBe(true);
    const back = seen.find((x) => x.at > startedAt && x.status === 200);
    expect(back!.at - startedAt).toBeLessThan(5000);
    expect(s.proc.exitCode).toBeNull();
    expect((await loginOverHttp(s, "rita", PASSWORD)).status).toBe(200);
    console.log(
      `redis stop: ${seen.length} requests, ${down.length} while down (all 503), first 200 ${back!.at - startedAt} ms after the restart`,
    );
  });

  it("as a read-through cache (sessionIdPersistInCache false): Redis stopped, sessions still answer from the database; an ending is refused (503) rather than left cached", async () => {
    const r = await startRedisServer();
    redises.push(r);
    const s = await serverOnRedis(r.port, `p${randomBytes(4).toString("hex")}`, false);
    const login = await loginOverHttp(s, "rita", PASSWORD);
    const { sid } = (await login.json()) as { sid: string };
    const cookie = /session_id=[^;]+/.exec(login.headers.get("set-cookie") ?? "")![0];
    const status = async () =>
      (
        (await (await fetch(`${s.url}/jans-auth/restv1/session_status`, { headers: { cookie } })).json()) as {
          state: string;
        }
      ).state;
    expect(await status()).toBe("authenticated");
    const auth = { authorization: `Bearer ${await adminToken(s)}` };
    await stopRedisServer(r.proc);
    expect(await status()).toBe("authenticated");
    expect((await fetch(`${s.url}${SESSIONS}/sid/${sid}`, { headers: auth })).status).toBe(200);
    const refused = await fetch(`${s.url}${SESSIONS}/sid/${sid}`, { method: "DELETE", headers: auth });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).not.toBeNull();
    const again = await startRedisServer(r.port);
    redises.push(again);
    // The database ended it already (the 503 was about the cache): the session is gone everywhere.
    for (let i = 0; i < 100 && (await status()) !== "unknown"; i++) await sleep(50);
    expect(await status()).toBe("unknown");
  });

  it("refuses to start when Redis cannot be reached: one line, exit 3", async () => {
    let err: Error | undefined;
    try {
      await startServer({
        cacheProviderType: "REDIS",
        sessionIdPersistInCache: true,
        redisConfiguration: { servers: "127.0.0.1:1" },
      });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(/server exited 3: .*cannot reach Redis at 127\.0\.0\.1:1/);
  });
});
