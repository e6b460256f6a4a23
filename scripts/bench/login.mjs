#!/usr/bin/env node
// Login throughput over HTTP, against the cost that dominates it, measured in the same run:
//  - the server (bin/opcli-server at the default scrypt cost, N=16384) takes successful logins
//    from --users users with --concurrency requests in flight for --seconds;
//  - the baseline is raw scrypt verifications per second at the same cost and concurrency in a
//    child process (what a login cannot avoid).
// Each login's session is ended at once, so the per-user cap never refuses one.
// Usage: node scripts/bench/login.mjs [--users 20] [--concurrency 8] [--seconds 10] [--root DIR]
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { root as here } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "20" },
    concurrency: { type: "string", default: "8" },
    seconds: { type: "string", default: "10" },
    root: { type: "string" },
  },
});
const root = resolve(values.root ?? here);
const USERS = Number(values.users);
const C = Number(values.concurrency);
const SECONDS = Number(values.seconds);
const PASSWORD = "bench-password-123";
const dir = mkdtempSync(join(tmpdir(), "opcli-login-bench-"));
const db = join(dir, "server.db");
const bin = join(root, "bin/opcli-server");
// Throughput, not limits: no per-user cap and (where the server knows the key) no per-address limit.
const full = { maxSessionsPerUser: 0, loginAttemptsPerAddressPerMinute: 0 };
writeFileSync(join(dir, "config.json"), JSON.stringify(full));
const probe = spawnSync(process.execPath, [
  bin,
  "client",
  "create",
  "--db",
  join(dir, "probe.db"),
  "--config",
  join(dir, "config.json"),
]);
if (probe.status !== 0) writeFileSync(join(dir, "config.json"), JSON.stringify({ maxSessionsPerUser: 0 }));

for (let u = 0; u < USERS; u++) {
  execFileSync(
    process.execPath,
    [bin, "user", "create", "--username", `u${u}`, "--password-stdin", "--db", db],
    {
      input: `${PASSWORD}\n`,
    },
  );
}
const proc = spawn(
  process.execPath,
  [bin, "--port", "0", "--db", db, "--quiet", "--config", join(dir, "config.json")],
  { stdio: ["ignore", "pipe", "ignore"] },
);
const url = await new Promise((res) =>
  proc.stdout.once("data", (d) => res(JSON.parse(String(d).split("\n")[0]).listening)),
);

let ok = 0;
let other = 0;
const latencies = [];
const deadline = performance.now() + SECONDS * 1000;
async function loop(w) {
  for (let i = 0; performance.now() < deadline; i++) {
    const t = performance.now();
    const res = await fetch(`${url}/jans-auth/restv1/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "bench" },
      body: JSON.stringify({ username: `u${(w * 7 + i) % USERS}`, password: PASSWORD }),
    });
    await res.text();
    latencies.push(performance.now() - t);
    if (res.status !== 200) {
      other++;
      continue;
    }
    ok++;
    const cookie = /session_id=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
    await (
      await fetch(`${url}/jans-auth/restv1/end_session`, {
        method: "POST",
        headers: { cookie: `session_id=${cookie}` },
      })
    ).text();
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: C }, (_, w) => loop(w)));
const elapsed = (performance.now() - started) / 1000;
proc.kill("SIGKILL");

// Baseline: scrypt at the server's default cost, same concurrency, in a fresh process.
const scryptScript = `
const { scrypt, randomBytes } = require("node:crypto");
const N = 16384, C = ${C}, end = Date.now() + ${SECONDS * 1000};
let n = 0;
const one = () => new Promise((r) => scrypt("${PASSWORD}", randomBytes(16), 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 + 1048576 }, () => { n++; r(); }));
(async () => { const t = Date.now(); await Promise.all(Array.from({ length: C }, async () => { while (Date.now() < end) await one(); })); console.log(n / ((Date.now() - t) / 1000)); })();`;
const scryptRate = Number(spawnSync(process.execPath, ["-e", scryptScript], { encoding: "utf8" }).stdout);

latencies.sort((a, b) => a - b);
const p50 = latencies[Math.floor(latencies.length / 2)] ?? 0;
const rate = ok / elapsed;
console.log(`server: ${root}`);
console.log(
  `logins: ${ok} ok, ${other} other in ${elapsed.toFixed(1)} s = ${rate.toFixed(1)} logins/s (p50 ${p50.toFixed(1)} ms, ${C} in flight)`,
);
console.log(`baseline: scrypt N=16384 verifications, ${C} in flight: ${scryptRate.toFixed(1)}/s`);
console.log(`ratio: ${(rate / scryptRate).toFixed(2)} of the scrypt-only rate`);
