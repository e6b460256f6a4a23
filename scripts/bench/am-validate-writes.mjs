#!/usr/bin/env node
// PingAM face: what "latest access time update frequency" saves under a validate load. 1,000
// validates of one session spread over one minute (a manual clock, 60 ms apart), in process,
// with the default frequency (60 s) and, as the baseline in the same run, a frequency of 0
// (every idle reset written). Prints store writes and µs per validate for both.
// Usage: node scripts/bench/am-validate-writes.mjs [--validates 1000]
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createApp, createCore, ManualClock, resolveConfig, SqliteStore } from "../../dist/server-lib.js";
import { must } from "./lib.mjs";

const { values } = parseArgs({ options: { validates: { type: "string", default: "1000" } } });
const N = Number(values.validates);

async function run(frequency) {
  const store = new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), "opcli-amv-")), "s.db") });
  const clock = new ManualClock(Date.now());
  const config = resolveConfig({
    passwordHashCost: 1024,
    latestAccessTimeUpdateFrequency: frequency,
    realms: { "/alpha": { sessionPropertyWhitelist: [], sessionQueryProperties: [] } },
  });
  const core = await createCore({ store, config, clock, issuer: "http://bench" });
  const app = createApp(core);
  const client = must(await core.clients.create("am", ["fr:am:*"]));
  must(await core.users.create("bjensen", "bench-password-123", { realm: "/alpha" }));
  const login = await app.request("/jans-auth/restv1/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "bjensen", password: "bench-password-123" }),
  });
  const tokenId = /session_id=([^;]+)/.exec(login.headers.get("set-cookie"))[1];
  const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`;
  const tok = await app.request("/am/oauth2/realms/root/access_token", {
    method: "POST",
    headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  const bearer = `Bearer ${(await tok.json()).access_token}`;
  const before = core.stats.idleResetWrites;
  const t = performance.now();
  for (let i = 0; i < N; i++) {
    clock.advance(60_000 / N);
    const r = await app.request("/am/json/realms/root/realms/alpha/sessions?_action=validate", {
      method: "POST",
      headers: { authorization: bearer, "content-type": "application/json" },
      body: JSON.stringify({ tokenId }),
    });
    if (!(await r.json()).valid) throw new Error(`validate ${i} answered invalid`);
  }
  const us = ((performance.now() - t) / N) * 1000;
  await store.close();
  return { writes: core.stats.idleResetWrites - before, us };
}

const baseline = await run(0);
const batched = await run(60);
console.log(`${N} validates of one session over 60 s`);
console.log(
  `  frequency 0 (baseline): ${baseline.writes} idle-reset writes, ${baseline.us.toFixed(1)} µs/validate`,
);
console.log(
  `  frequency 60 (default): ${batched.writes} idle-reset writes, ${batched.us.toFixed(1)} µs/validate`,
);
console.log(
  `  writes saved: ${baseline.writes - batched.writes} (${(baseline.writes / Math.max(batched.writes, 1)).toFixed(0)}x fewer); time ${(batched.us / baseline.us).toFixed(2)}x the baseline`,
);
