#!/usr/bin/env node
// client_credentials grants per second: opcli-server against node-oidc-provider (a dev dependency),
// both with EdDSA (Ed25519) keys, each in its own process, under wrk, rounds interleaved:
//  - opcli-server POST /jans-auth/restv1/token (a signed JWT access token; request log on, to a file);
//  - node-oidc-provider with JWT access tokens (resource indicators, accessTokenFormat "jwt");
//  - node-oidc-provider with opaque access tokens (its in-memory adapter).
// Prints each rate and opcli's ratio to node-oidc-provider's JWT rate (the target: >= 1.5x).
// Usage: node scripts/bench/token-grants.mjs [--rounds 3] [--seconds 5] [--connections 16]
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { root, startListening, wrk } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "16" },
  },
});
const dir = mkdtempSync(join(tmpdir(), "opcli-grants-"));
writeFileSync(join(dir, "config.json"), JSON.stringify({ passwordHashCost: 1024 }));
const ours = await startListening(
  [
    join(root, "bin/opcli-server"),
    "--port",
    "0",
    "--db",
    join(dir, "server.db"),
    "--config",
    join(dir, "config.json"),
  ],
  join(dir, "server.log"),
);
const admin = JSON.parse(readFileSync(join(dir, "admin-client.json"), "utf8"));

const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
const secret = "bench-secret-0123456789abcdefghijklmnop";
const providerFile = join(dir, "provider.mjs");
writeFileSync(
  providerFile,
  `import Provider from ${JSON.stringify(join(root, "node_modules/oidc-provider/lib/index.js"))};
const jwt = process.argv[2] === "jwt";
const provider = new Provider("http://127.0.0.1", {
  clients: [{ client_id: "bench", client_secret: ${JSON.stringify(secret)}, grant_types: ["client_credentials"],
    redirect_uris: [], response_types: [], token_endpoint_auth_method: "client_secret_basic",
    id_token_signed_response_alg: "EdDSA" }],
  jwks: { keys: [${JSON.stringify({ ...jwk, kid: "k1", alg: "EdDSA", use: "sig" })}] },
  features: {
    clientCredentials: { enabled: true },
    resourceIndicators: jwt
      ? { enabled: true, defaultResource: () => "urn:bench", useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: "", accessTokenFormat: "jwt", jwt: { sign: { alg: "EdDSA" } } }) }
      : { enabled: false },
  },
});
const server = provider.listen(0, "127.0.0.1", () =>
  console.log(JSON.stringify({ listening: "http://127.0.0.1:" + server.address().port })));
`,
);
const opJwt = await startListening([providerFile, "jwt"]);
const opOpaque = await startListening([providerFile, "opaque"]);

const lua = join(dir, "grant.lua");
writeFileSync(
  lua,
  `wrk.method = "POST"\nwrk.body = "grant_type=client_credentials"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n`,
);
const basic = (id, s) => [`Authorization: Basic ${Buffer.from(`${id}:${s}`).toString("base64")}`];
const cases = {
  "opcli-server (JWT, EdDSA)": {
    url: `${ours.url}/jans-auth/restv1/token`,
    headers: basic(admin.client_id, admin.client_secret),
  },
  "node-oidc-provider JWT (EdDSA)": { url: `${opJwt.url}/token`, headers: basic("bench", secret) },
  "node-oidc-provider opaque": { url: `${opOpaque.url}/token`, headers: basic("bench", secret) },
};
// Each answers a token once before timing, and says what kind.
for (const [name, c] of Object.entries(cases)) {
  const r = await fetch(c.url, {
    method: "POST",
    headers: {
      authorization: c.headers[0].slice("Authorization: ".length),
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  const t = (await r.json()).access_token;
  if (!t) throw new Error(`${name}: no access token (${r.status})`);
  console.log(`${name}: ${t.split(".").length === 3 ? "JWT" : "opaque"} access token, ${t.length} chars`);
}
const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < Number(values.rounds); r++)
  for (const [name, c] of Object.entries(cases))
    results[name].push(wrk({ ...c, script: lua }, values.seconds, values.connections));
for (const p of [ours, opJwt, opOpaque]) p.proc.kill("SIGTERM");

const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = med(results["node-oidc-provider JWT (EdDSA)"].map((x) => x.rps));
console.log(
  `\nwrk -t1 -c${values.connections} -d${values.seconds}s, ${values.rounds} interleaved rounds, medians\n`,
);
for (const [name, rs] of Object.entries(results)) {
  const rps = med(rs.map((x) => x.rps));
  console.log(
    `${name.padEnd(32)} ${rps.toFixed(0).padStart(7)} req/s  p50 ${med(rs.map((x) => x.p50)).toFixed(2)} ms  p99 ${med(rs.map((x) => x.p99)).toFixed(2)} ms  ${(rps / base).toFixed(2)}x node-oidc-provider JWT`,
  );
}
