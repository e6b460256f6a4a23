#!/usr/bin/env node
// Benchmark of the reference server's store at scale.
// Fills a fresh SQLite store with N sessions (default 1,000,000) through the store API, then reports
// p50/p99 of search-session through the full route (auth, parse, SQL, JSON) for four query kinds,
// with a plain LIKE '%x%' scan as the same-run baseline for the pattern search; then get-by-id
// requests/s over real HTTP (wrk) against a bare node:http server as the floor.
// Usage: node scripts/bench/server-search.mjs [--sessions N] [--queries Q] [--keep DIR]
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { cookieHash, createApp, createCore, SqliteStore } from "../../dist/server-lib.js";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "1000000" },
    queries: { type: "string", default: "300" },
    keep: { type: "string" },
  },
});
const N = Number(values.sessions);
const Q = Number(values.queries);
const USERS = Math.max(10, Math.floor(N / 20));
// --keep DIR reuses a store filled by an earlier run (the fill dominates the run time).
const dir = values.keep ?? mkdtempSync(join(tmpdir(), "opcli-bench-"));
const dbPath = join(dir, "bench.db");
// Session times are laid out relative to the fill; a kept store keeps its own fill time.
const stamp = join(dir, "filled-at");
const now = existsSync(stamp) ? Number(readFileSync(stamp, "utf8")) : Date.now();
const DAY = 86_400_000;

function pct(samples, p) {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const fmt = (ms) => `${ms.toFixed(2)} ms`;

// 1. Fill through the store API.
const store = new SqliteStore({ path: dbPath });
const t0 = performance.now();
const BATCH = 10_000;
for (let done = 0; done < N; done += BATCH) {
  const recs = [];
  for (let i = done; i < Math.min(N, done + BATCH); i++) {
    const u = i % USERS;
    const created = now - Math.floor((((i * 7919) % N) / N) * DAY * 0.9);
    const expires = created + DAY;
    recs.push({
      sid: randomUUID(),
      cookieHash: cookieHash(`c${i}`),
      userDn: `inum=${String(u).padStart(8, "0")}-user,ou=people,o=jans`,
      state: "authenticated",
      createdAt: created,
      lastUsedAt: created,
      authTime: created,
      absoluteExpiresAt: expires,
      expiresAt: expires,
      permissionGranted: i % 3 === 0,
      attributes: {
        auth_user: `user${String(u).padStart(6, "0")}`,
        client_id: `client-${i % 20}`,
        acr: i % 2 ? "simple_password_auth" : "otp",
        remote_ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        user_agent: ["Firefox/128.0", "Safari/605.1.15", "Chrome/126.0"][i % 3],
      },
    });
  }
  await store.sessions.insertMany(recs);
}
const fillSeconds = (performance.now() - t0) / 1000;
writeFileSync(stamp, String(now));
console.log(
  `filled ${N.toLocaleString()} sessions (${USERS.toLocaleString()} users) in ${fillSeconds.toFixed(1)} s`,
);

const core = await createCore({ store });
const app = createApp(core);
const { scopes: _scopes, ...admin } = await core.clients.create("bench", [
  "https://jans.io/oauth/jans-auth-server/session.admin",
]);
const tokenRes = await app.request("/jans-auth/restv1/token", {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ grant_type: "client_credentials", ...admin }),
});
const token = (await tokenRes.json()).access_token;
const headers = { authorization: `Bearer ${token}` };
const base = "/jans-config-api/api/v1/jans-auth-server/session";
const sample = await store.sessions.search({
  now,
  filters: [],
  pattern: "",
  sortBy: "sid",
  descending: false,
  offset: 0,
  limit: Q,
});
const sids = sample.entries.map((e) => e.sid);

async function measure(name, makeUrl) {
  const times = [];
  let total = 0;
  for (let i = 0; i < Q; i++) {
    const url = makeUrl(i);
    const t = performance.now();
    const res = await app.request(url, { headers });
    const body = await res.json();
    times.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
    total += body.totalEntriesCount ?? 1;
  }
  const p50 = pct(times, 50);
  const p99 = pct(times, 99);
  console.log(
    `${name.padEnd(44)} p50 ${fmt(p50).padStart(10)}  p99 ${fmt(p99).padStart(10)}  avg hits ${(total / Q).toFixed(0)}`,
  );
  return { p50, p99 };
}

const user = (i) => `user${String((i * 37) % USERS).padStart(6, "0")}`;
const iso = (ms) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
const q = (params) => `${base}/search?${new URLSearchParams(params)}`;
console.log(`\nsearch-session through the route, ${Q} queries each (limit 50):`);
await measure("by auth_user", (i) => q({ fieldValuePair: `auth_user=${user(i)}` }));
await measure("by expirationDate range (10 min window)", (i) => {
  const from = now + 0.15 * DAY + ((i * 600_000) % (0.8 * DAY));
  return q({
    fieldValuePair: `expirationDate>=${iso(from)},expirationDate<${iso(from + 600_000)}`,
    sortBy: "expirationDate",
  });
});
await measure("by expirationDate range (1 h), default sort", (i) => {
  const from = now + 0.15 * DAY + ((i * 3_600_000) % (0.8 * DAY));
  return q({ fieldValuePair: `expirationDate>=${iso(from)},expirationDate<${iso(from + 3_600_000)}` });
});
const fts = await measure("by pattern (substring of a user name)", (i) => q({ pattern: user(i).slice(2) }));
await measure("get-session-by-id", (i) => `${base}/sid/${sids[i % sids.length]}`);

// Same-run baseline for the pattern: the plain LIKE scan the trigram index replaces.
const raw = new Database(dbPath, { readonly: true });
const like = raw.prepare(
  "SELECT count(*) AS n FROM sessions WHERE expires_at > ? AND (user_dn LIKE ? OR sid LIKE ? OR attrs LIKE ?)",
);
const likeTimes = [];
for (let i = 0; i < Math.min(Q, 20); i++) {
  const p = `%${user(i).slice(2)}%`;
  const t = performance.now();
  like.get(now, p, p, p);
  likeTimes.push(performance.now() - t);
}
raw.close();
const likeP50 = pct(likeTimes, 50);
console.log(
  `${"baseline: pattern as LIKE '%x%' scan (count only)".padEnd(44)} p50 ${fmt(likeP50).padStart(10)}`,
);
console.log(
  `pattern search ratio: LIKE scan p50 / trigram route p50 = ${(likeP50 / fts.p50).toFixed(1)}x faster`,
);

// 2. get-by-id over HTTP with wrk, against a bare node:http floor, both in a child process.
await store.close();
function wrk(url, extraHeaders = []) {
  const args = ["-t2", "-c32", "-d8s", "--latency", ...extraHeaders.flatMap((h) => ["-H", h]), url];
  const out = execFileSync("wrk", args, { encoding: "utf8" });
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
}
const hasWrk = (() => {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (e) {
    return e.status === 1;
  }
})();
if (!hasWrk) {
  console.log("\nwrk not installed (apt-get install wrk): skipping the HTTP throughput part");
} else {
  const serverBin = new URL("../../bin/opcli-server", import.meta.url).pathname;
  const child = spawn(process.execPath, [serverBin, "--port", "0", "--db", dbPath, "--quiet"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((res) =>
    child.stdout.once("data", (d) => res(JSON.parse(String(d).split("\n")[0]).listening)),
  );
  const creds = admin;
  const tok = await (
    await fetch(`${url}/jans-auth/restv1/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", ...creds }),
    })
  ).json();
  const rps = wrk(`${url}${base}/sid/${sids[0]}`, [`Authorization: Bearer ${tok.access_token}`]);
  child.kill("SIGTERM");
  const body = JSON.stringify({ sid: sids[0] });
  const floor = spawn(process.execPath, [
    "-e",
    `require("http").createServer((q,r)=>{r.setHeader("content-type","application/json");r.end(${JSON.stringify(body)})}).listen(0,"127.0.0.1",function(){console.log(this.address().port)})`,
  ]);
  const port = await new Promise((res) => floor.stdout.once("data", (d) => res(String(d).trim())));
  const floorRps = wrk(`http://127.0.0.1:${port}/`);
  floor.kill();
  console.log(`\nget-session-by-id over HTTP (wrk -t2 -c32 -d8s): ${rps.toFixed(0)} req/s`);
  console.log(`floor: bare node:http constant JSON:               ${floorRps.toFixed(0)} req/s`);
  console.log(`ratio: ${(rps / floorRps).toFixed(2)} of the bare node:http floor`);
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
