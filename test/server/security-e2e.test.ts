import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SCOPE } from "../../src/server/core/oauth/scopes.js";
import { makeCerts } from "../helpers/certs.js";
import { pollApprovedCodes } from "../helpers/device-codes.js";
import {
  loginOverHttp,
  type RunningServer,
  SERVER_BIN,
  serverStats,
  startServer,
} from "../helpers/spawn-server.js";

// The security fixes that need real processes, sockets and files.

const PASSWORD = "e2e-password-long";
const running: RunningServer[] = [];
afterAll(async () => {
  for (const s of running) await s.stop("SIGKILL");
});

async function server(config: Record<string, number | boolean> = {}, dir?: string, args: string[] = []) {
  const s = await startServer({ passwordHashCost: 1024, ...config }, dir, args);
  running.push(s);
  return s;
}

/** A user who may read sessions (the device tests ask for that scope, which a person needs a role for). */
function createUser(db: string, username: string): void {
  execFileSync(
    process.execPath,
    [
      SERVER_BIN,
      "user",
      "create",
      "--username",
      username,
      "--role",
      "api-viewer",
      "--password-stdin",
      "--db",
      db,
    ],
    {
      input: `${PASSWORD}\n`,
    },
  );
}

const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);

describe("two server processes on one store", () => {
  it("50 parallel wrong passwords across both: at most 10 evaluated, then the name locked on both, the right password refused", async () => {
    const a = await server();
    const b = await server({}, a.dir);
    createUser(a.db, "alice");
    const checks = async () =>
      sum([(await serverStats(a)).passwordChecks, (await serverStats(b)).passwordChecks]);
    const before = await checks();
    const wrong = await Promise.all(
      Array.from({ length: 50 }, (_, i) => loginOverHttp(i % 2 ? a : b, "alice", `wrong-password-${i}`)),
    );
    expect(wrong.filter((r) => r.status === 200)).toHaveLength(0);
    expect((await checks()) - before).toBeLessThanOrEqual(10);
    // Only now the right password: the threshold is recorded, so this asserts the lock, not a race.
    expect((await loginOverHttp(a, "alice", PASSWORD)).status).toBe(423);
    expect((await loginOverHttp(b, "alice", PASSWORD)).status).toBe(423);
    expect((await checks()) - before).toBeLessThanOrEqual(10);
  });

  it("20 device codes polled in parallel through both: exactly one token each", async () => {
    const a = await server();
    const b = await server({}, a.dir);
    createUser(a.db, "dora");
    const { statuses, approvals } = await pollApprovedCodes(a, b, { username: "dora", password: PASSWORD });
    expect(approvals).toEqual(Array(20).fill(200));
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 400)).toHaveLength(60);
    expect((await serverStats(a)).deviceGrants + (await serverStats(b)).deviceGrants).toBe(20);
  });
});

describe("unauthenticated sessions from one address", () => {
  it("2,000 authorize calls: 429 after the limit, and the store stays under 1 MB", async () => {
    const s = await server();
    const client = JSON.parse(
      execFileSync(process.execPath, [SERVER_BIN, "client", "create", "--name", "portal", "--db", s.db], {
        encoding: "utf8",
      }),
    ).client_id as string;
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const one = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${s.url}/jans-auth/restv1/authorize?client_id=${client}`,
          { agent, headers: { "user-agent": "u".repeat(8000) } },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end();
      });
    const codes: number[] = [];
    for (let i = 0; i < 2000; i += 50) codes.push(...(await Promise.all(Array.from({ length: 50 }, one))));
    agent.destroy();
    expect(codes.filter((c) => c === 200)).toHaveLength(50);
    expect(codes.filter((c) => c === 429)).toHaveLength(1950);
    // Stopped, the WAL is checkpointed into the file: what is left is what the load stored.
    expect(await s.stop("SIGTERM")).toBe(0);
    expect(existsSync(`${s.db}-wal`)).toBe(false);
    expect(statSync(s.db).size).toBeLessThan(1024 * 1024);
  });
});

describe("TLS", () => {
  it("a cookie issued over TLS carries Secure and is refused over plain HTTP; --tls-only has no plain listener", async () => {
    const certs = makeCerts(mkdtempSync(join(tmpdir(), "opcli-tls-")));
    const tlsArgs = ["--tls-port", "0", "--tls-cert", certs.serverCert, "--tls-key", certs.serverKey];
    const s = await server({}, undefined, tlsArgs);
    createUser(s.db, "tess");
    const curl = (args: string[]) =>
      spawnSync("curl", ["-s", "--cacert", certs.ca, ...args], { encoding: "utf8" });
    const login = curl([
      "-D",
      "-",
      "-o",
      "/dev/null",
      "-H",
      "content-type: application/json",
      "--data",
      JSON.stringify({ username: "tess", password: PASSWORD }),
      `${s.tlsUrl}/jans-auth/restv1/login`,
    ]).stdout;
    const setCookie = /set-cookie: (session_id=[^\r\n]+)/i.exec(login)?.[1] ?? "";
    expect(setCookie).toMatch(/; Secure/);
    const cookie = /session_id=([^;]+)/.exec(setCookie)![1]!;
    const overTls = curl([
      "-H",
      `cookie: session_id=${cookie}`,
      `${s.tlsUrl}/jans-auth/restv1/session_status`,
    ]).stdout;
    expect(JSON.parse(overTls).state).toBe("authenticated");
    const plain = await fetch(`${s.url}/jans-auth/restv1/session_status`, {
      headers: { cookie: `session_id=${cookie}` },
    });
    expect(((await plain.json()) as { state: string }).state).toBe("unknown");

    const only = await server({}, undefined, [...tlsArgs, "--tls-only"]);
    expect(only.url).toMatch(/^https:/);
    const ready = JSON.parse(only.logs().split("\n")[0]!) as Record<string, string>;
    expect(Object.keys(ready).sort()).toEqual(["admin", "tls"]);
  });
});

describe("stopping", () => {
  it("SIGTERM under keep-alive load: exits within the grace period, every in-flight request answered", async () => {
    const s = await server({ shutdownGracePeriod: 3 });
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const get = () =>
      new Promise<number>((resolve, reject) => {
        request(`${s.url}/health`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        })
          .on("error", reject)
          .end();
      });
    // A request whose body is still arriving when the signal comes: it must be answered.
    const [head, tail] = ['{"username":"nobody","password":"', 'not-the-password-at-all"}'];
    const slow = new Promise<number>((resolve, reject) => {
      const length = String(Buffer.byteLength(head + tail));
      const req = request(
        `${s.url}/jans-auth/restv1/login`,
        {
          method: "POST",
          agent: false,
          headers: { "content-type": "application/json", "content-length": length },
        },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      req.write(head);
      setTimeout(() => req.end(tail), 600);
    });
    let stop = false;
    let answered = 0;
    const current: (Promise<number> | undefined)[] = [];
    const loops = Array.from({ length: 8 }, async (_, i) => {
      while (!stop) {
        current[i] = get();
        await current[i];
        answered++;
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    // What is in flight now must be answered; nothing new is sent after the signal.
    stop = true;
    const inFlight = current.filter((p): p is Promise<number> => p !== undefined);
    const signalled = performance.now();
    const code = await s.stop("SIGTERM");
    const took = performance.now() - signalled;
    await Promise.all(loops);
    const statuses = await Promise.all(inFlight);
    agent.destroy();
    expect(code).toBe(0);
    // Idle keep-alive connections do not hold it open: it leaves as soon as the slow request is answered.
    expect(took).toBeLessThan(3000);
    expect(answered).toBeGreaterThan(10);
    expect(statuses.every((x) => x === 200)).toBe(true);
    expect(await slow).toBe(401);
  });
});

describe("start-up files", () => {
  it("without --db the server uses its own data directory, never the CLI's demo store", async () => {
    const data = mkdtempSync(join(tmpdir(), "opcli-xdg-"));
    const proc = spawn(process.execPath, [SERVER_BIN, "--port", "0", "--quiet"], {
      env: { ...process.env, XDG_DATA_HOME: data },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const ready = await new Promise<{ admin: string }>((res) =>
      proc.stdout.once("data", (d) => res(JSON.parse(String(d)))),
    );
    proc.kill("SIGKILL");
    expect(ready.admin).toBe(join(data, "opcli-server", "admin-client.json"));
    expect(existsSync(join(data, "opcli-server", "server.db"))).toBe(true);
    expect(existsSync(join(data, "opcli"))).toBe(false);
  });

  it("demo users get a random password, in a 0600 file beside the store", () => {
    const dir = mkdtempSync(join(tmpdir(), "opcli-seed-"));
    const db = join(dir, "server.db");
    const seed = () =>
      execFileSync(
        process.execPath,
        [SERVER_BIN, "seed", "--users", "2", "--sessions-per-user", "1", "--db", db],
        { encoding: "utf8" },
      );
    expect(JSON.parse(seed())).toMatchObject({
      users: 2,
      sessions: 2,
      credentials: join(dir, "demo-users.json"),
    });
    const file = JSON.parse(readFileSync(join(dir, "demo-users.json"), "utf8")) as {
      password: string;
      users: string[];
    };
    expect(statSync(join(dir, "demo-users.json")).mode & 0o777).toBe(0o600);
    expect(file.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(file.password).not.toBe("demo-password-123");
    expect(file.users).toEqual(["demo-user-001", "demo-user-002"]);
  });

  it("client create without --scopes gets the read-only scope", () => {
    const db = join(mkdtempSync(join(tmpdir(), "opcli-cc-")), "server.db");
    const out = JSON.parse(
      execFileSync(process.execPath, [SERVER_BIN, "client", "create", "--db", db], { encoding: "utf8" }),
    );
    expect(out.scopes).toEqual([SCOPE.sessionRead]);
  });

  it("a start that cannot bind its port provisions nothing and writes no credentials", async () => {
    const s = await server();
    const dir = mkdtempSync(join(tmpdir(), "opcli-taken-"));
    const port = new URL(s.url).port;
    const r = spawnSync(
      process.execPath,
      [SERVER_BIN, "--port", port, "--db", join(dir, "server.db"), "--quiet"],
      {
        encoding: "utf8",
      },
    );
    expect(r.status).toBe(3);
    expect(existsSync(join(dir, "admin-client.json"))).toBe(false);
    // The running server's credentials are untouched and still work.
    expect(JSON.parse(readFileSync(join(s.dir, "admin-client.json"), "utf8"))).toEqual(s.admin);
    // Another store in the same directory gets its own credentials file, never this one's.
    const other = spawn(
      process.execPath,
      [SERVER_BIN, "--port", "0", "--db", join(s.dir, "other.db"), "--quiet"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const ready = await new Promise<{ admin: string }>((res) =>
      other.stdout.once("data", (d) => res(JSON.parse(String(d)))),
    );
    other.kill("SIGKILL");
    expect(ready.admin).toBe(join(s.dir, "other-admin-client.json"));
    expect(JSON.parse(readFileSync(join(s.dir, "admin-client.json"), "utf8"))).toEqual(s.admin);
  });
});
