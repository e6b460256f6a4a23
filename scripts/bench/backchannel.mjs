#!/usr/bin/env node
import { mkdtempSync } from "node:fs";
// What telling relying parties costs the request that ends sessions, measured in one run, in
// process: "Logout All Devices" (the admin API's logout-all) for a user with 10 sessions, each
// signed in at 20 RPs. Interleaved iterations: the 20 RPs registered for back-channel logout (a
// local receiver answering 200) against 20 RPs without. Reports the p50 of the revoking request
// for each and their ratio, and, with receivers, the time from the request until the last of the
// 200 logout tokens arrived.
// Usage: node --expose-gc scripts/bench/backchannel.mjs [--iterations 30]
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createApp, createCore, resolveConfig, SqliteStore } from "../../dist/server-lib.js";
import { must } from "./lib.mjs";

const { values } = parseArgs({ options: { iterations: { type: "string", default: "30" } } });
const N = Number(values.iterations);
const SESSIONS = 10;
const RPS = 20;

let told = 0;
let lastToldAt = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    told++;
    lastToldAt = performance.now();
    res.writeHead(200).end();
  });
});
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
const rxUrl = `http://127.0.0.1:${receiver.address().port}/bc`;

const store = new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), "opcli-bc-")), "s.db") });
const core = await createCore({
  store,
  config: resolveConfig({
    passwordHashCost: 1024,
    loginAttemptsPerAddressPerMinute: 0,
    maxSessionsPerUser: 0,
  }),
  issuer: "http://bench",
});
const app = createApp(core);
const stopOutbox = core.outbox.start();
const admin = must(
  await core.clients.create("admin", ["https://jans.io/oauth/jans-auth-server/session.admin"]),
);
const basic = `Basic ${Buffer.from(`${admin.client_id}:${admin.client_secret}`).toString("base64")}`;
const tokenRes = await app.request("/jans-auth/restv1/token", {
  method: "POST",
  headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ grant_type: "client_credentials" }),
});
let token = (await tokenRes.json()).access_token;

async function rps(withUri) {
  const ids = [];
  for (let i = 0; i < RPS; i++) {
    const c = must(
      await core.clients.create(`rp${i}`, ["openid"], {
        redirectUris: ["https://rp.example/cb"],
        ...(withUri ? { backchannelLogoutUri: rxUrl } : {}),
      }),
    );
    ids.push(c.client_id);
  }
  return ids;
}
const groups = { with: await rps(true), without: await rps(false) };
const user = must(await core.users.create("bench", "bench-password-123"));
const userId = /^inum=([^,]+),/.exec(user.dn)[1];

/** Ten sessions of the user, each signed in at every RP of the group (not timed). */
async function signIn(ids) {
  for (let i = 0; i < SESSIONS; i++) {
    const res = await app.request("/jans-auth/restv1/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "bench", password: "bench-password-123" }),
    });
    const cookie = /session_id=([^;]+)/.exec(res.headers.get("set-cookie"))[1];
    const s = await core.sessions.byCookie(cookie, { secure: false });
    for (const id of ids) await core.sessions.recordGrant(s, id, "openid");
  }
}

async function logoutAll() {
  // Run with --expose-gc: both arms start from a collected heap, so the garbage of the previous
  // iteration's 200 deliveries (signing, HTTP) is not charged to the next measured request.
  globalThis.gc?.();
  const t = performance.now();
  const res = await app.request(`/api/admin/sessions?userId=${userId}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${token}` },
  });
  const ms = performance.now() - t;
  const body = await res.json();
  if (res.status !== 200) throw new Error(`logout-all: ${res.status} ${JSON.stringify(body)}`);
  return { ms, started: t };
}

const times = { with: [], without: [] };
const lastTold = [];
for (let i = 0; i < N + 2; i++) {
  if (i % 10 === 0) {
    const r = await app.request("/jans-auth/restv1/token", {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    token = (await r.json()).access_token;
  }
  for (const group of i % 2 === 0 ? ["with", "without"] : ["without", "with"]) {
    await signIn(groups[group]);
    const before = told;
    const { ms, started } = await logoutAll();
    if (group === "with") {
      while (told - before < SESSIONS * RPS) await new Promise((r) => setTimeout(r, 1));
      if (i >= 2) lastTold.push(lastToldAt - started);
      // Each attempt's settlement and audit finish before the next measured request.
      await core.outbox.settled();
    }
    if (i >= 2) times[group].push(ms);
  }
}

const p = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)];
const p50 = { with: p(times.with, 0.5), without: p(times.without, 0.5) };
const result = {
  iterations: N,
  sessions: SESSIONS,
  rps: RPS,
  logoutAllP50Ms: { withReceivers: +p50.with.toFixed(2), without: +p50.without.toFixed(2) },
  ratio: +(p50.with / p50.without).toFixed(3),
  lastRpToldMs: { p50: +p(lastTold, 0.5).toFixed(1), p95: +p(lastTold, 0.95).toFixed(1) },
  tokensDelivered: told,
};
console.log(JSON.stringify(result, null, 2));
stopOutbox();
await core.outbox.settled();
receiver.close();
await store.close();
