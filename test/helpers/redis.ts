import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { DEFAULT_CONFIG } from "../../src/server/core/config.js";
import { connectRedis, type RedisConn } from "../../src/server/store/redis/connect.js";
import type { RedisConfiguration } from "../../src/server/store/redis/options.js";

// Redis for tests: the one CI started ($OPCLI_TEST_REDIS_URL, redis://127.0.0.1:port), or else a
// throwaway redis-server of this file's own on a free port, stopped by stopOwnRedis (afterAll).
// Never skipped: without Redis these tests fail, saying why.

let own: { proc: ChildProcess; port: number } | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

/** Starts a throwaway redis-server on 127.0.0.1 (no persistence); resolves once it answers. */
export async function startRedisServer(port?: number): Promise<{ proc: ChildProcess; port: number }> {
  const p = port ?? (await freePort());
  const proc = spawn(
    "redis-server",
    ["--port", String(p), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const failed = new Promise<never>((_, reject) => {
    proc.once("error", (e) =>
      reject(new Error(`Redis is needed for this test and redis-server could not start: ${e.message}`)),
    );
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const c = await Promise.race([connectRedis(config(`127.0.0.1:${p}`), undefined, 500), failed]);
      await c.close();
      return { proc, port: p };
    } catch (err) {
      if (Date.now() > deadline || proc.exitCode !== null) {
        proc.kill();
        throw err;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export function stopRedisServer(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
  });
}

const config = (servers: string): RedisConfiguration => ({ ...DEFAULT_CONFIG.redisConfiguration, servers });

/** host:port of the suite's Redis (CI's or this file's own). */
export async function redisServers(): Promise<string> {
  const url = process.env.OPCLI_TEST_REDIS_URL;
  if (url) return new URL(url).host;
  own ??= await startRedisServer();
  return `127.0.0.1:${own.port}`;
}

export async function stopOwnRedis(): Promise<void> {
  if (own) await stopRedisServer(own.proc);
  own = undefined;
}

/** A connection and a key prefix of its own (one hash tag), so tests never see each other's keys. */
export async function openTestRedis(): Promise<{ conn: RedisConn; prefix: string; servers: string }> {
  const servers = await redisServers();
  return {
    conn: await connectRedis(config(servers), undefined),
    prefix: `{t${randomBytes(6).toString("hex")}}:`,
    servers,
  };
}
