#!/usr/bin/env node
// Does an expensive search stall the other requests? Fills a SQLite store with N sessions
// (default 200,000) and serves it over HTTP on 127.0.0.1, twice on the same file: searches on the
// event loop (searchWorkers 0, as before) and in worker threads (the default). For each, GET
// /health p50 idle, then while four clients in parallel send worst-case 4 KB `_queryFilter`s
// (PingAM face; 12 in all): both, their ratio and the filters' statuses (a 503 is a search
// refused at its time limit).
// Usage: node scripts/bench/search-stall.mjs [--sessions N] [--parallel P] [--filters F]
// Needs the build (npm run build): it drives the bundled server library.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { cookieHash, createApp, createCore, SqliteStore } from "../../dist/server-lib.js";
import { must } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    sessions: { type: "string", default: "200000" },
    parallel: { type: "string", default: "4" },
    filters: { type: "string", default: "12" },
  },
});
const N = Number(values.sessions);
const P = Number(values.parallel);
const F = Number(values.filters);
const dir = mkdtempSync(join(tmpdir(), "opcli-stall-"));
const db = join(dir, "server.db");
const HOUR = 3_600_000;

const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function fill() {
  const store = new SqliteStore({ path: db, searchWorkers: 0 });
  const now = Date.now();
  for (let done = 0; done < N; done += 10_000) {
    const batch = [];
    for (let i = done; i < Math.min(N, done + 10_000); i++) {
      const sid = randomUUID();
      batch.push({
        id: randomUUID(),
        sid,
        cookieHash: cookieHash(`c${i}`),
        userDn: `inum=${String(i % 10_000).padStart(8, "0")}-user,ou=people,o=jans`,
        state: "authenticated",
        createdAt: now,
        lastUsedAt: now,
        authTime: now,
        absoluteExpiresAt: now + 8 * HOUR,
        expiresAt: now + 8 * HOUR,
        permissionGranted: false,
        attributes: { auth_user: `user${i % 10_000}`, client_id: "bench", remote_ip: "10.0.0.1" },
        secure: false,
        grants: {},
        handle: `shandle:${sid}`,
        realm: "/",
        properties: {},
      });
    }
    await store.sessions.insertMany(batch);
  }
  await store.close();
}

/** The store served on an ephemeral port; searchWorkers 0 searches on the event loop. */
async function startServer(searchWorkers) {
  const store = new SqliteStore({ path: db, ...(searchWorkers === undefined ? {} : { searchWorkers }) });
  const core = await createCore({ store, issuer: "http://opcli-bench/jans-auth" });
  const admin = must(await core.clients.create("bench", ["fr:am:*"]));
  const server = serve({ fetch: createApp(core).fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const url = `http://127.0.0.1:${server.address().port}`;
  const stop = async () => {
    await new Promise((r) => server.close(r));
    await store.close();
  };
  return { url, admin, stop };
}

async function token(url, admin) {
  const res = await fetch(`${url}/jans-auth/restv1/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${admin.client_id}:${admin.client_secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: "fr:am:*" }),
  });
  if (!res.ok) throw new Error(`token: ${res.status}`);
  return (await res.json()).access_token;
}

/** The worst case the grammar allows: as many substring terms as 4 KB holds, none matching. */
function worstFilter() {
  const terms = [];
  for (let i = 0; ; i++) {
    const next = [...terms, `username co "zq${i}x"`].join(" or ");
    if (next.length > 4000) break;
    terms.push(`username co "zq${i}x"`);
  }
  return terms.join(" or ");
}

async function healthMs(url) {
  const t = performance.now();
  const res = await fetch(`${url}/health`);
  await res.arrayBuffer();
  return performance.now() - t;
}

/** /health p50 idle and under the filters, for one way of running searches. */
async function measure(label, searchWorkers) {
  const { url, admin, stop } = await startServer(searchWorkers);
  try {
    const bearer = await token(url, admin);
    for (let i = 0; i < 20; i++) await healthMs(url); // warm-up
    const idle = [];
    for (let i = 0; i < 50; i++) idle.push(await healthMs(url));
    const filter = worstFilter();
    const query = `${url}/am/json/realms/root/sessions?${new URLSearchParams({ _queryFilter: filter, _pageSize: "10" })}`;
    const statuses = {};
    let left = F;
    const t0 = performance.now();
    const client = async () => {
      while (left-- > 0) {
        const res = await fetch(query, {
          headers: { authorization: `Bearer ${bearer}`, "accept-api-version": "resource=4.0, protocol=1.0" },
        });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    };
    let loaded = true;
    const busy = [];
    const sampler = (async () => {
      while (loaded) {
        busy.push(await healthMs(url));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await Promise.all(Array.from({ length: P }, client));
    loaded = false;
    await sampler;
    const idleP50 = pct(idle, 50);
    const busyP50 = pct(busy, 50);
    console.log(`\n${label}`);
    console.log(
      `  ${F} filters of ${filter.length} characters, ${P} in parallel: ${((performance.now() - t0) / 1000).toFixed(1)} s, statuses ${JSON.stringify(statuses)}`,
    );
    console.log(`  /health p50 idle:          ${idleP50.toFixed(2)} ms (${idle.length} requests)`);
    console.log(
      `  /health p50 under filters: ${busyP50.toFixed(2)} ms (${busy.length} requests, max ${Math.max(...busy).toFixed(0)} ms)`,
    );
    console.log(`  ratio: ${(busyP50 / idleP50).toFixed(1)}x`);
  } finally {
    await stop();
  }
}

async function main() {
  console.log(`filling ${N.toLocaleString()} sessions in ${db}`);
  await fill();
  try {
    await measure("searches on the event loop (searchWorkers 0, as before)", 0);
    await measure("searches in worker threads (the default)", undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
