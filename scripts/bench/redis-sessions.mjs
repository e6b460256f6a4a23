#!/usr/bin/env node
// Sessions in Redis, measured in one run (issue 28):
//  1. search p50/p99 over N sessions in Redis (default 1,000,000), filled through the store API,
//     for the admin list's query kinds: by user (userDn=), by client (client_id=), a pattern and the
//     unfiltered list (both read every live session: the cost of search without a query engine);
//  2. session checks over HTTP on two instances at once (wrk on each, the sum): get-by-id
//     (config-api) and session_status (cookie), PostgreSQL alone against PostgreSQL + Redis.
// Usage: node scripts/bench/redis-sessions.mjs [--sessions N] [--queries Q]   (needs redis-server, wrk; run npm run build first)
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openRedisSessions, SqliteStore } from "../../dist/server-lib.js";
import { startCluster, stopCluster } from "../pg-cluster.mjs";

const { values } = parseArgs({
  options: { sessions: { type: "string", default: "1000000" }, queries: { type: "string", default: "40" } },
});
const N = Number(values.sessions);
const Q = Number(values.queries);
const USERS = Math.max(10, Math.floor(N / 20));
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), "opcli-bench-redis-"));
const SERVER_BIN = new URL("../../bin/opcli-server", import.meta.url).pathname;
const base = "/jans-config-api/api/v1/jans-auth-server/session";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise((res) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const user = (i) => `inum=u${i % USERS},ou=people,o=jans`;

function session(i, now) {
  const sid = randomUUID();
  return {
    id: `rec-${sid}`,
    sid,
    cookieHash: `h-${sid}`,
    userDn: user(i),
    state: "authenticated",
    createdAt: now - (i % 1000) * 1000,
    lastUsedAt: now,
    authTime: now,
    absoluteExpiresAt: now + DAY,
    expiresAt: now + DAY - (i % 3600) * 1000,
    permissionGranted: false,
    attributes: {
      auth_user: `user${i % USERS}`,
      client_id: `client-${i % 5}`,
      remote_ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
    },
    secure: false,
    grants: {},
    handle: `shandle:${sid}`,
    realm: "/",
    properties: {},
  };
}

async function searchAtScale(servers) {
  const store = await openRedisSessions(new SqliteStore({ path: ":memory:" }), servers, "{bench}:");
  const now = Date.now();
  const t0 = performance.now();
  for (let i = 0; i < N; i += 10_000)
    await store.sessions.insertMany(
      Array.from({ length: Math.min(10_000, N - i) }, (_, k) => session(i + k, now)),
    );
  const fill = (performance.now() - t0) / 1000;
  console.log(`filled ${N} sessions in Redis in ${fill.toFixed(1)} s (${(N / fill).toFixed(0)}/s)`);
  const q = (over) => ({
    now: Date.now(),
    filters: [],
    pattern: "",
    sortBy: "creationDate",
    descending: false,
    offset: 0,
    limit: 50,
    ...over,
  });
  const kinds = [
    [
      "userDn= (a user's sessions)",
      (i) => q({ filters: [{ field: "userDn", type: "string", op: "=", value: user(i * 7919) }] }),
      Q,
    ],
    [
      "client_id= (a fifth of all)",
      (i) => q({ filters: [{ field: "client_id", type: "string", op: "=", value: `client-${i % 5}` }] }),
      Math.min(Q, 5),
    ],
    ["pattern (reads every session)", (i) => q({ pattern: `user${(i * 31) % USERS}` }), Math.min(Q, 5)],
    ["the list, no filter (by creation: read in index order)", () => q({}), Q],
  ];
  for (const [name, make, runs] of kinds) {
    const times = [];
    let total = 0;
    let refused = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      try {
        total = (await store.sessions.search(make(i))).total;
      } catch (err) {
        // Past the 5 s limit: what a client sees as 503 with Retry-After.
        if (err.name !== "StoreUnavailable") throw err;
        refused++;
      }
      times.push(performance.now() - t);
    }
    console.log(
      `  search ${name}: p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms over ${runs} (total ${total}${refused ? `; ${refused} past the 5 s limit: 503` : ""})`,
    );
  }
  await store.close();
}

async function spawnServer(args, env) {
  const child = spawn(
    process.execPath,
    [SERVER_BIN, "--port", "0", "--quiet", "--issuer", "http://opcli-bench/jans-auth", ...args],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, XDG_DATA_HOME: dir, ...env },
    },
  );
  const ready = await new Promise((res) =>
    child.stdout.once("data", (d) => res(JSON.parse(String(d).split("\n")[0]))),
  );
  return { child, url: ready.listening, admin: ready.admin };
}

function wrkOn(url, header, script) {
  return new Promise((res, rej) => {
    const p = spawn("wrk", ["-t1", "-c16", "-d8s", "-H", header, ...(script ? ["-s", script] : []), url]);
    let o = "";
    p.stdout.on("data", (d) => (o += d));
    p.on("exit", (code) =>
      code === 0 ? res(Number(/Requests\/sec:\s+([\d.]+)/.exec(o)[1])) : rej(new Error(`wrk ${code}`)),
    );
  });
}

async function twoInstances(label, pgUrl, config, env) {
  const cfgFile = join(dir, `${label}.json`);
  writeFileSync(
    cfgFile,
    JSON.stringify({
      passwordHashCost: 1024,
      loginAttemptsPerAddressPerMinute: 1e6,
      maxSessionsPerUser: 0,
      ...config,
    }),
  );
  const servers = [
    await spawnServer(["--store", pgUrl, "--config", cfgFile], env),
    await spawnServer(["--store", pgUrl, "--config", cfgFile], env),
  ];
  const name = `bench${label.replace(/\W/g, "")}`;
  execFileSync(
    process.execPath,
    [SERVER_BIN, "user", "create", "--username", name, "--password-stdin", "--store", pgUrl],
    {
      input: "bench-password-long\n",
      env: { ...process.env, XDG_DATA_HOME: dir },
    },
  );
  const login = await fetch(`${servers[0].url}/jans-auth/restv1/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: name, password: "bench-password-long" }),
  });
  const { sid } = await login.json();
  const cookie = /session_id=[^;]+/.exec(login.headers.get("set-cookie"))[0];
  const admin = JSON.parse(readFileSync(servers[0].admin, "utf8"));
  const tok = await (
    await fetch(`${servers[0].url}/jans-auth/restv1/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: admin.client_id,
        client_secret: admin.client_secret,
      }),
    })
  ).json();
  const byId = (
    await Promise.all(
      servers.map((s) => wrkOn(`${s.url}${base}/sid/${sid}`, `Authorization: Bearer ${tok.access_token}`)),
    )
  ).reduce((a, b) => a + b);
  const status = (
    await Promise.all(
      servers.map((s) => wrkOn(`${s.url}/jans-auth/restv1/session_status`, `Cookie: ${cookie}`)),
    )
  ).reduce((a, b) => a + b);
  // PingAM validate without the idle reset (a pure check): a POST, so a wrk script.
  const tokenId = cookie.slice("session_id=".length);
  const lua = join(dir, `${name}.lua`);
  writeFileSync(
    lua,
    [
      'wrk.method = "POST"',
      `wrk.body = '${JSON.stringify({ tokenId })}'`,
      'wrk.headers["Content-Type"] = "application/json"',
      'wrk.headers["Accept-API-Version"] = "resource=4.0, protocol=1.0"',
    ].join("\n"),
  );
  const am = "/am/json/realms/root/sessions?_action=validate&refresh=false";
  const bearer = `Authorization: Bearer ${tok.access_token}`;
  const validate = (await Promise.all(servers.map((s) => wrkOn(`${s.url}${am}`, bearer, lua)))).reduce(
    (a, b) => a + b,
  );
  const check = await fetch(`${servers[0].url}${am}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${tok.access_token}`,
      "content-type": "application/json",
      "accept-api-version": "resource=4.0, protocol=1.0",
    },
    body: JSON.stringify({ tokenId }),
  });
  const { valid } = await check.json();
  console.log(
    `  ${label}: get-by-id ${byId.toFixed(0)} req/s, session_status ${status.toFixed(0)} req/s, validate ${validate.toFixed(0)} req/s (valid: ${valid}) (two instances, wrk -t1 -c16 -d8s on each)`,
  );
  for (const s of servers) s.child.kill("SIGTERM");
  await sleep(500);
}

const port = await freePort();
const redis = spawn(
  "redis-server",
  ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
  { stdio: "ignore" },
);
const cluster = await startCluster();
try {
  await sleep(300);
  await searchAtScale(`127.0.0.1:${port}`);
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  await c.query("CREATE DATABASE bench");
  await c.end();
  const u = new URL(cluster.url);
  u.pathname = "/bench";
  console.log(`\nsession checks over HTTP (${execFileSync("nproc").toString().trim()} cores, shared):`);
  await twoInstances("PostgreSQL alone", u.toString(), {}, {});
  await twoInstances(
    "PostgreSQL + Redis",
    u.toString(),
    {
      cacheProviderType: "REDIS",
      sessionIdPersistInCache: true,
      redisConfiguration: { servers: `127.0.0.1:${port}` },
    },
    { OPCLI_REDIS_KEY_PREFIX: "http" },
  );
} finally {
  redis.kill("SIGTERM");
  stopCluster(cluster.dir);
}
