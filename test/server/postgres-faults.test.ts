import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Cluster, pgCtl, startCluster, stopCluster } from "../../scripts/pg-cluster.mjs";
import { createTestDatabase, pgQuery } from "../helpers/postgres.js";
import {
  adminToken,
  loginOverHttp,
  type RunningServer,
  SERVER_BIN,
  startPgServer,
} from "../helpers/spawn-server.js";

// Faults: an instance killed mid-write, and the database itself going away and coming back.

const PASSWORD = "fault-password-long";
const SESSIONS = "/jans-config-api/api/v1/jans-auth-server/session";
const CONFIG = {
  passwordHashCost: 1024,
  loginAttemptsPerAddressPerMinute: 1_000_000,
  lockoutThreshold: 1_000_000,
  maxSessionsPerUser: 0,
};
const running: RunningServer[] = [];
const clusters: Cluster[] = [];
afterAll(async () => {
  for (const s of running) await s.stop("SIGKILL");
  for (const c of clusters) stopCluster(c.dir);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function createUser(url: string, dir: string, username: string): void {
  execFileSync(
    process.execPath,
    [SERVER_BIN, "user", "create", "--username", username, "--password-stdin", "--store", url],
    {
      input: `${PASSWORD}\n`,
      env: { ...process.env, XDG_DATA_HOME: dir },
    },
  );
}

async function instances(url: string, n: number, extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "opcli-pgfault-"));
  const out: RunningServer[] = [];
  for (let i = 0; i < n; i++) {
    const s = await startPgServer(url, dir, CONFIG, extra);
    running.push(s);
    out.push(s);
  }
  return { dir, servers: out };
}

describe("faults on PostgreSQL", () => {
  it("kill -9 of one instance during a write load: every acknowledged write is there, the other keeps serving", async () => {
    const url = await createTestDatabase();
    const { dir, servers } = await instances(url, 2);
    const [a, b] = servers as [RunningServer, RunningServer];
    createUser(url, dir, "walt");
    const acknowledged: string[] = [];
    const statusesOfB: number[] = [];
    let killedAt = 0;
    let servedByBAfterKill = 0;
    const worker = async (w: number) => {
      for (let i = 0; Date.now() - start < 2500; i++) {
        const s = (w + i) % 2 ? a : b;
        try {
          const res = await loginOverHttp(s, "walt", PASSWORD);
          if (s === b) statusesOfB.push(res.status);
          if (res.status === 200) {
            acknowledged.push(((await res.json()) as { sid: string }).sid);
            if (s === b && killedAt && Date.now() > killedAt) servedByBAfterKill++;
          } else await res.body?.cancel();
        } catch {
          // A's connections die with it: a refused or reset request was never acknowledged.
          if (s === b) throw new Error("instance B failed a request");
        }
      }
    };
    const start = Date.now();
    const load = Promise.all(Array.from({ length: 12 }, (_, w) => worker(w)));
    await sleep(900);
    a.proc.kill("SIGKILL");
    killedAt = Date.now();
    await load;
    expect(a.proc.signalCode).toBe("SIGKILL");
    // The load ran on both sides of the kill (how much depends on the machine).
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(servedByBAfterKill).toBeGreaterThan(3);
    expect(statusesOfB.every((s) => s === 200)).toBe(true);
    const found = await pgQuery(url, "SELECT count(*)::int AS n FROM sessions WHERE sid = ANY($1::text[])", [
      acknowledged,
    ]);
    expect(found[0]!.n).toBe(acknowledged.length);
    console.log(
      `kill -9: ${acknowledged.length} acknowledged logins all stored; B served ${servedByBAfterKill} after the kill`,
    );
  });

  it("PostgreSQL restarted under load: 503 while it is down (never 500, no crash), 200 again within seconds", async () => {
    const pgc = await startCluster();
    clusters.push(pgc);
    const { dir, servers } = await instances(pgc.url, 1, ["--store-statement-timeout", "2000"]);
    const s = servers[0]!;
    createUser(pgc.url, dir, "rita");
    const { sid } = (await (await loginOverHttp(s, "rita", PASSWORD)).json()) as { sid: string };
    const token = await adminToken(s);
    const seen: { at: number; status: number }[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const res = await fetch(`${s.url}${SESSIONS}/sid/${sid}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await res.body?.cancel();
        seen.push({ at: Date.now(), status: res.status });
        if (res.status !== 200) await sleep(20);
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, worker));
    await sleep(500);
    pgCtl(pgc, "stop");
    const stoppedAt = Date.now();
    await sleep(1500);
    pgCtl(pgc, "start");
    const startedAt = Date.now();
    for (let i = 0; i < 200 && !seen.some((x) => x.at > startedAt && x.status === 200); i++) await sleep(50);
    await sleep(500);
    stop = true;
    await load;
    const statuses = new Set(seen.map((x) => x.status));
    expect([...statuses].sort()).toEqual([200, 503]);
    const down = seen.filter((x) => x.at > stoppedAt + 200 && x.at < startedAt);
    expect(down.length).toBeGreaterThan(0);
    expect(down.every((x) => x.status === 503)).toBe(true);
    const back = seen.find((x) => x.at > startedAt && x.status === 200);
    expect(back).toBeDefined();
    expect(back!.at - startedAt).toBeLessThan(5000);
    expect(s.proc.exitCode).toBeNull();
    const n503 = seen.filter((x) => x.status === 503).length;
    console.log(
      `restart: ${seen.length} requests, ${n503} answered 503, first 200 ${back!.at - startedAt} ms after the start`,
    );
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
  });
});
