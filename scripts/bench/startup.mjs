#!/usr/bin/env node
// Start-up benchmark, all figures measured in this one run (medians of sequential runs):
//  1. opcli --operation-id get-session-by-id with a token in hand, against a bare node script
//     that sends the same authenticated request with node:http (the floor);
//  2. opcli --info AuthSessionManagement --spec <Janssen document> (warm model cache, and cold)
//     against `node -e 0`.
// Usage: node scripts/bench/startup.mjs [--runs N]
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "25" } } });
const RUNS = Number(values.runs);
const root = resolve(import.meta.dirname, "../..");
const jans = resolve(root, "../shared/specs/jans-config-api.yaml");
const dir = mkdtempSync(join(tmpdir(), "opcli-startup-"));
const env = { PATH: process.env.PATH, HOME: dir, NO_COLOR: "1" };

function median(cmd, args, extraEnv = {}) {
  const times = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { env: { ...env, ...extraEnv }, stdio: ["ignore", "ignore", "pipe"] });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    if (i >= 2) times.push(ms); // two warm-up runs
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// A reference server with one user and one session.
const db = join(dir, "server.db");
writeFileSync(join(dir, "config.json"), JSON.stringify({ passwordHashCost: 1024 }));
const server = spawn(
  process.execPath,
  [
    join(root, "bin/opcli-server"),
    "--port",
    "0",
    "--db",
    db,
    "--quiet",
    "--config",
    join(dir, "config.json"),
  ],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const url = await new Promise((res) =>
  server.stdout.once("data", (d) => res(JSON.parse(String(d).split("\n")[0]).listening)),
);
execFileSync(
  process.execPath,
  [join(root, "bin/opcli-server"), "user", "create", "--username", "bench", "--password-stdin", "--db", db],
  {
    input: "bench-password-123\n",
  },
);
const login = await fetch(`${url}/jans-auth/restv1/login`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "bench", password: "bench-password-123" }),
});
const { sid } = await login.json();
const admin = JSON.parse(readFileSync(join(dir, "admin-client.json"), "utf8"));
const tokenRes = await fetch(`${url}/jans-auth/restv1/token`, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ grant_type: "client_credentials", ...admin }),
});
const token = (await tokenRes.json()).access_token;

const floorScript = join(dir, "floor.mjs");
writeFileSync(
  floorScript,
  `import { request } from "node:http";
const [url, token] = process.argv.slice(2);
request(url, { headers: { authorization: "Bearer " + token, accept: "application/json" } }, (res) => {
  let body = ""; res.on("data", (d) => (body += d)); res.on("end", () => { JSON.parse(body); process.stdout.write(body + "\\n"); });
}).end();
`,
);
const opcli = join(root, "bin/opcli");
const opUrl = `${url}/jans-config-api/api/v1/jans-auth-server/session/sid/${sid}`;

const floor = median(process.execPath, [floorScript, opUrl, token]);
const op = median(
  process.execPath,
  [opcli, "--operation-id", "get-session-by-id", "--url-suffix", `sid:${sid}`, "--host", url],
  {
    OPCLI_ACCESS_TOKEN: token,
  },
);
const nodeZero = median(process.execPath, ["-e", "0"]);
const infoArgs = [opcli, "--info", "AuthSessionManagement", "--spec", jans];
const infoWarm = median(process.execPath, infoArgs);
const infoCold = median(process.execPath, infoArgs, { OPCLI_NO_CACHE: "1" });
server.kill("SIGTERM");

const row = (name, ms, base, baseName) =>
  console.log(`${name.padEnd(58)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / base).toFixed(2)}x ${baseName}`);
console.log(`medians of ${RUNS} runs each\n`);
row("floor: node:http script, same authenticated GET", floor, floor, "floor");
row("opcli --operation-id get-session-by-id (token in hand)", op, floor, "floor");
row("node -e 0", nodeZero, nodeZero, "node -e 0");
row("opcli --info AuthSessionManagement --spec jans (warm cache)", infoWarm, nodeZero, "node -e 0");
row("opcli --info AuthSessionManagement --spec jans (no cache)", infoCold, nodeZero, "node -e 0");
