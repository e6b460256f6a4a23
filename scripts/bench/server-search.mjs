#!/usr/bin/env node
// Benchmark of the reference server's store at scale, SQLite and PostgreSQL side by side in one run.
// For each backend: fills a fresh store with N sessions (default 1,000,000) through the store API
// (insertMany, the model's own rows), then reports p50/p99 of search-session through the full
// route (auth, parse, SQL, JSON) for four query kinds and get-by-id, with a plain substring scan
// as the same-run baseline for the pattern search; then get-by-id requests/s over real HTTP (wrk)
// with one instance and (PostgreSQL) two, against a bare node:http server as the floor.
// Usage: node scripts/bench/server-search.mjs [--sessions N] [--queries Q] [--backend sqlite|postgresql|both]
//        [--keep DIR]   (reuses the stores an earlier run filled in DIR; the fill dominates the run)
import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { createApp, createCore, openPgStore, SqliteStore } from "../../dist/server-lib.js";
import { pgCtl, startCluster, stopCluster } from "../pg-cluster.mjs";
import { must } from "./lib.mjs";
import { fillSessions, usersFor } from "./sessions.mjs";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "1000000" },
    queries: { type: "string", default: "300" },
    backend: { type: "string", default: "both" },
    keep: { type: "string" },
    // Fill the stores in --keep DIR and stop (measure later, on a quiet machine).
    "fill-only": { type: "boolean" },
    // The unindexed scan is slow at millions of rows: how many times to time it.
    "baseline-runs": { type: "string", default: "10" },
  },
});
const N = Number(values.sessions);
const Q = Number(values.queries);
const USERS = usersFor(N);
const dir = values.keep ?? mkdtempSync(join(tmpdir(), "opcli-bench-"));
mkdirSync(dir, { recursive: true });
const DAY = 86_400_000;
const SERVER_BIN = new URL("../../bin/opcli-server", import.meta.url).pathname;
const ISSUER = "http://opcli-bench/jans-auth";

function pct(samples, p) {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const fmt = (ms) => `${ms.toFixed(2)} ms`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Fills through the store API unless this store was filled before (--keep); returns the fill's clock. */
async function fill(store, stampFile) {
  if (existsSync(stampFile)) {
    const now = Number(readFileSync(stampFile, "utf8"));
    console.log(`reusing ${(await store.sessions.count()).toLocaleString()} sessions filled earlier`);
    return { now, seconds: null };
  }
  const now = Date.now();
  const seconds = await fillSessions(store, N, now);
  writeFileSync(stampFile, String(now));
  return { now, seconds };
}

async function measure(app, headers, name, makeUrl) {
  const times = [];
  let total = 0;
  for (let i = 0; i < Q; i++) {
    const t = performance.now();
    const res = await app.request(makeUrl(i), { headers });
    const body = await res.json();
    times.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
    total += body.totalEntriesCount ?? 1;
  }
  const p50 = pct(times, 50);
  const p99 = pct(times, 99);
  console.log(
    `  ${name.padEnd(46)} p50 ${fmt(p50).padStart(10)}  p99 ${fmt(p99).padStart(10)}  avg hits ${(total / Q).toFixed(0)}`,
  );
  return { p50, p99 };
}

const base = "/jans-config-api/api/v1/jans-auth-server/session";
const user = (i) => `user${String((i * 37) % USERS).padStart(6, "0")}`;
const iso = (ms) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
const q = (params) => `${base}/search?${new URLSearchParams(params)}`;

/** The four searches and get-by-id through the route, in process; returns the figures and sample sids. */
async function searches(store, now) {
  const core = await createCore({ store, issuer: ISSUER });
  const app = createApp(core);
  const { scopes: _s, ...admin } = must(
    await core.clients.create("bench", ["https://jans.io/oauth/jans-auth-server/session.admin"]),
  );
  const tokenRes = await app.request("/jans-auth/restv1/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", ...admin }),
  });
  const headers = { authorization: `Bearer ${(await tokenRes.json()).access_token}` };
  const sample = await store.sessions.search({
    now,
    filters: [],
    pattern: "",
    sortBy: "sid",
    descending: false,
    offset: 0,
    limit: Q,
    countTotal: false,
  });
  const sids = sample.entries.map((e) => e.sid);
  const r = {};
  console.log(`  search-session through the route, ${Q} queries each (limit 50):`);
  r.user = await measure(app, headers, "by auth_user", (i) => q({ fieldValuePair: `auth_user=${user(i)}` }));
  r.range = await measure(app, headers, "by expirationDate range (10 min window)", (i) => {
    const from = now + 0.15 * DAY + ((i * 600_000) % (0.8 * DAY));
    return q({
      fieldValuePair: `expirationDate>=${iso(from)},expirationDate<${iso(from + 600_000)}`,
      sortBy: "expirationDate",
    });
  });
  r.range1h = await measure(app, headers, "by expirationDate range (1 h), default sort", (i) => {
    const from = now + 0.15 * DAY + ((i * 3_600_000) % (0.8 * DAY));
    return q({ fieldValuePair: `expirationDate>=${iso(from)},expirationDate<${iso(from + 3_600_000)}` });
  });
  r.pattern = await measure(app, headers, "by pattern (substring of a user name)", (i) =>
    q({ pattern: user(i).slice(2) }),
  );
  r.byId = await measure(app, headers, "get-session-by-id", (i) => `${base}/sid/${sids[i % sids.length]}`);
  return { r, sids, admin };
}

/** The substring scan the trigram index replaces, timed on the same data (count only). */
async function patternBaseline(kind, conn) {
  const times = [];
  const runs = Math.min(Q, Number(values["baseline-runs"]));
  if (kind === "sqlite") {
    const raw = new Database(conn, { readonly: true });
    const like = raw.prepare(
      "SELECT count(*) AS n FROM sessions WHERE expires_at > 0 AND (user_dn LIKE ? OR sid LIKE ? OR attrs LIKE ?)",
    );
    for (let i = 0; i < runs; i++) {
      const p = `%${user(i).slice(2)}%`;
      const t = performance.now();
      like.get(p, p, p);
      times.push(performance.now() - t);
    }
    raw.close();
  } else {
    const c = new pg.Client({ connectionString: conn });
    await c.connect();
    // The same LIKE, with the trigram index taken away from the planner.
    await c.query("SET enable_bitmapscan = off");
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await c.query("SELECT count(*) FROM sessions WHERE expires_at > 0 AND search_text LIKE $1", [
        `%${user(i).slice(2)}%`,
      ]);
      times.push(performance.now() - t);
    }
    await c.end();
  }
  return pct(times, 50);
}

function wrk(url, headers = [], connections = 32, threads = 2) {
  const args = [`-t${threads}`, `-c${connections}`, "-d8s", ...headers.flatMap((h) => ["-H", h]), url];
  return execFileSync("wrk", args, { encoding: "utf8" });
}
const rpsOf = (out) => Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
const hasWrk = (() => {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (e) {
    return e.status === 1;
  }
})();

async function spawnServer(args) {
  const child = spawn(process.execPath, [SERVER_BIN, "--port", "0", "--quiet", "--issuer", ISSUER, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, XDG_DATA_HOME: dir },
  });
  const url = await new Promise((res) =>
    child.stdout.once("data", (d) => res(JSON.parse(String(d).split("\n")[0]).listening)),
  );
  return { child, url };
}

/** get-by-id over HTTP: one instance, and two at once (wrk on each, the sum). */
async function throughput(storeArgs, admin, sid, instances) {
  const out = {};
  const servers = [];
  for (let i = 0; i < instances; i++) servers.push(await spawnServer(storeArgs));
  const tok = await (
    await fetch(`${servers[0].url}/jans-auth/restv1/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", ...admin }),
    })
  ).json();
  const auth = [`Authorization: Bearer ${tok.access_token}`];
  out.one = rpsOf(wrk(`${servers[0].url}${base}/sid/${sid}`, auth));
  if (instances > 1) {
    const runs = servers.map(
      (s) =>
        new Promise((res, rej) => {
          const p = spawn("wrk", ["-t1", "-c16", "-d8s", "-H", auth[0], `${s.url}${base}/sid/${sid}`]);
          let o = "";
          p.stdout.on("data", (d) => {
            o += d;
          });
          p.on("exit", (code) => (code === 0 ? res(rpsOf(o)) : rej(new Error(`wrk exited ${code}`))));
        }),
    );
    out.two = (await Promise.all(runs)).reduce((a, b) => a + b, 0);
  }
  for (const s of servers) s.child.kill("SIGTERM");
  return out;
}

async function floorRps(sid) {
  const body = JSON.stringify({ sid });
  const floor = spawn(process.execPath, [
    "-e",
    `require("http").createServer((q,r)=>{r.setHeader("content-type","application/json");r.end(${JSON.stringify(body)})}).listen(0,"127.0.0.1",function(){console.log(this.address().port)})`,
  ]);
  const port = await new Promise((res) => floor.stdout.once("data", (d) => res(String(d).trim())));
  const rps = rpsOf(wrk(`http://127.0.0.1:${port}/`));
  floor.kill();
  return rps;
}

async function runSqlite() {
  console.log(`\n== SQLite, ${N.toLocaleString()} sessions (${USERS.toLocaleString()} users)`);
  const dbPath = join(dir, "bench.db");
  const store = new SqliteStore({ path: dbPath });
  const { now, seconds } = await fill(store, join(dir, "sqlite-filled-at"));
  if (seconds !== null) console.log(`  filled in ${seconds.toFixed(1)} s`);
  if (values["fill-only"]) return store.close();
  const { r, sids, admin } = await searches(store, now);
  await store.close();
  const like = await patternBaseline("sqlite", dbPath);
  const size = ["", "-wal"].reduce((a, s) => a + (existsSync(dbPath + s) ? statSync(dbPath + s).size : 0), 0);
  console.log(
    `  baseline: pattern as a LIKE scan p50 ${fmt(like)} (${(like / r.pattern.p50).toFixed(1)}x the trigram route)`,
  );
  console.log(`  store size ${mb(size)}`);
  const http = hasWrk ? await throughput(["--db", dbPath], admin, sids[0], 1) : null;
  return { r, seconds, size, like, http, sid: sids[0] };
}

async function runPostgres() {
  console.log(`\n== PostgreSQL, ${N.toLocaleString()} sessions (${USERS.toLocaleString()} users)`);
  const pgDir = join(dir, "pg");
  const settings = [
    "-c shared_buffers=2GB",
    "-c max_wal_size=8GB",
    "-c maintenance_work_mem=512MB",
    "-c work_mem=32MB",
  ];
  let cluster;
  const clusterFile = join(dir, "pg-cluster.json");
  if (existsSync(clusterFile)) {
    cluster = JSON.parse(readFileSync(clusterFile, "utf8"));
    // Kept from an earlier run; it may be running already.
    if (!existsSync(join(cluster.dir, "postmaster.pid"))) pgCtl(cluster, "start");
  } else {
    mkdirSync(pgDir, { recursive: true });
    // initdb runs as the postgres user, who must reach the data directory.
    chmodSync(dir, 0o755);
    chmodSync(pgDir, 0o755);
    cluster = await startCluster({ parent: pgDir, settings });
    writeFileSync(clusterFile, JSON.stringify(cluster));
  }
  const url = cluster.url;
  try {
    const store = await openPgStore({ url, poolSize: 10 });
    const { now, seconds } = await fill(store, join(dir, "pg-filled-at"));
    if (seconds !== null) {
      console.log(`  filled in ${seconds.toFixed(1)} s`);
      const t = performance.now();
      // Statistics and the visibility map a freshly filled table lacks until autovacuum gets to it.
      await store.db.query("VACUUM ANALYZE sessions");
      console.log(`  VACUUM ANALYZE ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    if (values["fill-only"]) return store.close();
    const { r, sids, admin } = await searches(store, now);
    const size = Number((await store.db.query("SELECT pg_database_size(current_database()) AS n"))[0].n);
    await store.close();
    const like = await patternBaseline("postgresql", url);
    console.log(
      `  baseline: pattern as a LIKE scan p50 ${fmt(like)} (${(like / r.pattern.p50).toFixed(1)}x the trigram route)`,
    );
    console.log(`  database size ${mb(size)}`);
    const http = hasWrk ? await throughput(["--store", url], admin, sids[0], 2) : null;
    return { r, seconds, size, like, http, sid: sids[0] };
  } finally {
    if (values.keep) pgCtl(cluster, "stop");
    else stopCluster(cluster.dir);
  }
}

const results = {};
if (values.backend !== "postgresql") results.sqlite = await runSqlite();
if (values.backend !== "sqlite") results.postgresql = await runPostgres();
if (values["fill-only"]) process.exit(0);
const floor = hasWrk ? await floorRps("x") : null;

console.log(`\n== side by side, ${N.toLocaleString()} sessions (p50 / p99 ms)`);
const names = {
  user: "by auth_user",
  range: "expirationDate 10 min",
  range1h: "expirationDate 1 h",
  pattern: "pattern",
  byId: "get-by-id",
};
const kinds = Object.keys(results);
console.log(`  ${"".padEnd(24)}${kinds.map((k) => k.padStart(22)).join("")}`);
for (const [key, label] of Object.entries(names))
  console.log(
    `  ${label.padEnd(24)}${kinds.map((k) => `${results[k].r[key].p50.toFixed(2)} / ${results[k].r[key].p99.toFixed(2)}`.padStart(22)).join("")}`,
  );
console.log(
  `  ${"fill (s)".padEnd(24)}${kinds.map((k) => String(results[k].seconds?.toFixed(0) ?? "kept").padStart(22)).join("")}`,
);
console.log(`  ${"size".padEnd(24)}${kinds.map((k) => mb(results[k].size).padStart(22)).join("")}`);
if (floor) {
  console.log(
    `\n  get-session-by-id over HTTP (wrk -t2 -c32 -d8s), floor: bare node:http ${floor.toFixed(0)} req/s`,
  );
  for (const k of kinds) {
    const h = results[k].http;
    console.log(
      `  ${k.padEnd(12)} one instance ${h.one.toFixed(0)} req/s (${(h.one / floor).toFixed(2)} of the floor)${h.two ? `, two instances ${h.two.toFixed(0)} req/s` : ""}`,
    );
  }
} else console.log("\nwrk not installed (apt-get install wrk): no HTTP throughput figures");
if (!values.keep) rmSync(dir, { recursive: true, force: true });
