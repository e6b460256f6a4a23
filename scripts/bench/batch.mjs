#!/usr/bin/env node
// Scripting at scale, measured in one run:
//  1. 10,000 delete-session lines through --batch (concurrency 8) against a shell loop of single
//     opcli invocations (timed on --loop N and scaled to 10,000);
//  2. peak RSS of `opcli --all -o ndjson` over 100,000 sessions against the same over 1,000.
// Usage: node scripts/bench/batch.mjs [--deletes 10000] [--loop 500] [--big 100000] [--small 1000]
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cookieHash, SqliteStore } from "../../dist/server-lib.js";
import { root } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    deletes: { type: "string", default: "10000" },
    loop: { type: "string", default: "500" },
    big: { type: "string", default: "100000" },
    small: { type: "string", default: "1000" },
  },
});
const opcli = join(root, "bin/opcli");
const serverBin = join(root, "bin/opcli-server");

async function seed(dir, n) {
  const store = new SqliteStore({ path: join(dir, "server.db") });
  const now = Date.now();
  const sids = [];
  for (let done = 0; done < n; done += 10_000) {
    const recs = [];
    for (let i = done; i < Math.min(n, done + 10_000); i++) {
      const sid = randomUUID();
      sids.push(sid);
      recs.push({
        sid,
        cookieHash: cookieHash(sid),
        userDn: `inum=u${i % 5000},ou=people,o=jans`,
        state: "authenticated",
        createdAt: now - (n - i),
        lastUsedAt: now,
        authTime: now,
        absoluteExpiresAt: now + 86_400_000,
        expiresAt: now + 3_600_000,
        permissionGranted: false,
        attributes: { auth_user: `user${i % 5000}`, client_id: "bench" },
      });
    }
    await store.sessions.insertMany(recs);
  }
  await store.close();
  return sids;
}

async function server(dir) {
  writeFileSync(join(dir, "config.json"), JSON.stringify({ maxSearchLimit: 1000 }));
  const proc = spawn(
    process.execPath,
    [
      serverBin,
      "--port",
      "0",
      "--db",
      join(dir, "server.db"),
      "--quiet",
      "--config",
      join(dir, "config.json"),
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise((res) =>
    proc.stdout.once("data", (d) => res(JSON.parse(String(d).split("\n")[0]).listening)),
  );
  const admin = JSON.parse(readFileSync(join(dir, "admin-client.json"), "utf8"));
  const env = {
    PATH: process.env.PATH,
    HOME: mkdtempSync(join(tmpdir(), "opcli-bench-home-")),
    OPCLI_HOST: url,
    OPCLI_CLIENT_ID: admin.client_id,
    OPCLI_CLIENT_SECRET: admin.client_secret,
    OPCLI_TOKEN_STORE: "file",
  };
  execFileSync(process.execPath, [opcli, "--operation-id", "get-sessions"], { env, stdio: "ignore" }); // warm the token cache
  return { env, stop: () => proc.kill("SIGTERM") };
}

// 1. batch vs loop
const deletes = Number(values.deletes);
const loopN = Number(values.loop);
const dir1 = mkdtempSync(join(tmpdir(), "opcli-batch-"));
const sids = await seed(dir1, deletes + loopN);
const s1 = await server(dir1);
const batchFile = join(dir1, "batch.ndjson");
writeFileSync(
  batchFile,
  `${sids
    .slice(0, deletes)
    .map((sid) => JSON.stringify({ operationId: "delete-session", urlSuffix: { sid } }))
    .join("\n")}\n`,
);
let t = performance.now();
const batch = spawnSync(process.execPath, [opcli, "--batch", batchFile, "--concurrency", "8"], {
  env: s1.env,
  encoding: "utf8",
  maxBuffer: 1 << 28,
});
const batchMs = performance.now() - t;
const ok = batch.stdout
  .trim()
  .split("\n")
  .filter((l) => JSON.parse(l).status === 204).length;
const loopScript = join(dir1, "loop.sh");
writeFileSync(
  loopScript,
  `while read sid; do node ${opcli} --operation-id delete-session --url-suffix "sid:$sid" || exit 1; done\n`,
);
t = performance.now();
const loop = spawnSync("sh", [loopScript], {
  env: s1.env,
  input: `${sids.slice(deletes).join("\n")}\n`,
  stdio: ["pipe", "ignore", "inherit"],
});
const loopMs = performance.now() - t;
s1.stop();
if (loop.status !== 0 || batch.status !== 0 || ok !== deletes)
  throw new Error(`batch ${batch.status} (${ok} ok), loop ${loop.status}`);
const loopScaled = (loopMs / loopN) * deletes;
console.log(
  `--batch, ${deletes} deletes, concurrency 8:       ${(batchMs / 1000).toFixed(1)} s (${((deletes / batchMs) * 1000).toFixed(0)} deletes/s)`,
);
console.log(
  `shell loop of single opcli calls, ${loopN} deletes:  ${(loopMs / 1000).toFixed(1)} s -> ${(loopScaled / 1000).toFixed(0)} s scaled to ${deletes}`,
);
console.log(`ratio: --batch is ${(loopScaled / batchMs).toFixed(1)}x faster than the loop`);

// 2. --all peak RSS, big vs small, at the default page size and with 1,000-item pages
async function storeWith(n) {
  const dir = mkdtempSync(join(tmpdir(), "opcli-all-"));
  await seed(dir, n);
  return server(dir);
}
function peakRss(s, n, pageArgs) {
  const args = [opcli, "--operation-id", "search-session", "--all", "-o", "ndjson", ...pageArgs];
  const r = spawnSync("/usr/bin/time", ["-f", "%M %e", process.execPath, ...args], {
    env: s.env,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const lines = r.stdout.trim().split("\n").length;
  const [kb, secs] = r.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  if (lines !== n) throw new Error(`--all returned ${lines} of ${n}`);
  return { kb, secs };
}
const [small, big] = [Number(values.small), Number(values.big)];
const smallStore = await storeWith(small);
const bigStore = await storeWith(big);
for (const [label, pageArgs] of [
  ["default page size", []],
  ["--page-size 1000", ["--page-size", "1000"]],
]) {
  const a = peakRss(smallStore, small, pageArgs);
  const b = peakRss(bigStore, big, pageArgs);
  console.log(`\n--all -o ndjson, ${label}:`);
  console.log(`  ${small} sessions: peak RSS ${(a.kb / 1024).toFixed(1)} MiB (${a.secs} s)`);
  console.log(`  ${big} sessions: peak RSS ${(b.kb / 1024).toFixed(1)} MiB (${b.secs} s)`);
  console.log(`  ratio: ${(b.kb / a.kb).toFixed(2)}x the RSS for ${big / small}x the items`);
}
smallStore.stop();
bigStore.stop();
