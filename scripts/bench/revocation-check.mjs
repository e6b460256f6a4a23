#!/usr/bin/env node
// What immediate revocation costs per request, measured in one run, in process (no network):
//  - get-session-by-id with a client-credentials token (one revocation key: its jti);
//  - the same with a person's token bound to an SSO session (two keys, jti and sid, in one
//    lookup, plus the subject's revocation instant);
//  - the same route's work without the revocation lookups: a session read through the store
//    alone, as the floor.
// Usage: node scripts/bench/revocation-check.mjs [--requests 5000]
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createApp, createCore, resolveConfig, SqliteStore } from "../../dist/server-lib.js";
import { must } from "./lib.mjs";

const { values } = parseArgs({ options: { requests: { type: "string", default: "5000" } } });
const N = Number(values.requests);
const store = new SqliteStore({ path: join(mkdtempSync(join(tmpdir(), "opcli-rev-")), "s.db") });
const core = await createCore({
  store,
  config: resolveConfig({ passwordHashCost: 1024 }),
  issuer: "http://bench",
});
const app = createApp(core);
const admin = must(
  await core.clients.create("admin", ["https://jans.io/oauth/jans-auth-server/session.admin", "openid"]),
);
const rp = must(
  await core.clients.create("rp", ["openid", "https://jans.io/oauth/jans-auth-server/session.admin"], {
    redirectUris: ["https://rp.example/cb"],
  }),
);
must(await core.users.create("bench", "bench-password-123"));

const basic = (c) => `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString("base64")}`;
const form = (path, auth, fields) =>
  app.request(path, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });

// A client-credentials token, and a person's token from the code flow (bound to the session).
const clientToken = (
  await (await form("/jans-auth/restv1/token", basic(admin), { grant_type: "client_credentials" })).json()
).access_token;
const login = await app.request("/jans-auth/restv1/login", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "bench", password: "bench-password-123" }),
});
const cookie = /session_id=([^;]+)/.exec(login.headers.get("set-cookie"))[1];
const { sid } = await login.json();
const verifier = randomBytes(32).toString("base64url");
const challenge = createHash("sha256").update(verifier).digest("base64url");
const q = new URLSearchParams({
  response_type: "code",
  client_id: rp.client_id,
  redirect_uri: "https://rp.example/cb",
  scope: "openid https://jans.io/oauth/jans-auth-server/session.admin",
  code_challenge: challenge,
  code_challenge_method: "S256",
});
const redirect = await app.request(`/jans-auth/restv1/authorize?${q}`, {
  headers: { cookie: `session_id=${cookie}` },
});
const code = new URL(redirect.headers.get("location")).searchParams.get("code");
const personToken = (
  await (
    await form("/jans-auth/restv1/token", basic(rp), {
      grant_type: "authorization_code",
      code,
      redirect_uri: "https://rp.example/cb",
      code_verifier: verifier,
    })
  ).json()
).access_token;

const path = `/jans-config-api/api/v1/jans-auth-server/session/sid/${sid}`;
async function perRequest(one) {
  const t = performance.now();
  for (let i = 0; i < N; i++) await one();
  return ((performance.now() - t) / N) * 1000;
}
const get = (token) => async () => {
  const r = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
  if (r.status !== 200) throw new Error(String(r.status));
  await r.arrayBuffer();
};
const cases = {
  "floor: the same session read through the store alone": () => store.sessions.getLive(sid, Date.now()),
  "get-session-by-id, client token (jti checked)": get(clientToken),
  "get-session-by-id, session-bound person token (jti+sid, subject)": get(personToken),
};
// Warm up, then alternate rounds so drift hits every case alike; report medians.
for (const one of Object.values(cases)) for (let i = 0; i < 1000; i++) await one();
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let round = 0; round < 5; round++)
  for (const [k, one] of Object.entries(cases)) samples[k].push(await perRequest(one));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const [floor, asClient, asPerson] = Object.keys(cases).map((k) => median(samples[k]));
for (const k of Object.keys(cases))
  console.log(`${k.padEnd(66)} ${median(samples[k]).toFixed(1).padStart(7)} µs/request`);
console.log(
  `\nsession-bound vs client token: ${asPerson - asClient >= 0 ? "+" : ""}${(asPerson - asClient).toFixed(1)} µs/request (${(asPerson / asClient).toFixed(2)}x)`,
);
console.log(`client-token route vs the store read alone: ${(asClient / floor).toFixed(1)}x`);
await store.close();
