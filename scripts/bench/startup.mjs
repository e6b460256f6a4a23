#!/usr/bin/env node
// Start-up benchmark, all figures measured in this one run (medians of interleaved runs):
//  1. opcli --operation-id get-session-by-id with a token in hand, against a bare node script
//     that sends the same authenticated request with node:http (the floor);
//  2. opcli --info AuthSessionManagement --spec <Janssen document>, the --info listing of its tags,
//     and --info on the largest corpus document, warm (compiled model cached) and cold (empty
//     cache), against `node -e 0`.
// Usage: node scripts/bench/startup.mjs [--runs N]
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { medianOf, referenceServer, root, row, timeOnce } from "./lib.mjs";

const { values } = parseArgs({ options: { runs: { type: "string", default: "25" } } });
const RUNS = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), "opcli-startup-"));
const env = { PATH: process.env.PATH, HOME: dir, NO_COLOR: "1" };

const server = await referenceServer(dir);
const { url, sid, token } = server;

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
// The loader bin/opcli had before its code cache: a plain require of the bundle (same run, interleaved).
const plainLoader = join(dir, "plain-loader.cjs");
writeFileSync(
  plainLoader,
  `const cli = require(${JSON.stringify(join(root, "dist/opcli.cjs"))});
cli.runCli(cli.processIO()).then((code) => { process.exitCode = code; });
`,
);
const opcli = join(root, "bin/opcli");
const opUrl = `${url}/jans-config-api/api/v1/jans-auth-server/session/sid/${sid}`;
const opArgs = ["--operation-id", "get-session-by-id", "--url-suffix", `sid:${sid}`, "--host", url];
const jans = resolve(root, "../shared/specs/jans-config-api.yaml");
const infoArgs = ["--info", "AuthSessionManagement", "--spec", jans];
const listArgs = ["--info", "--spec", jans];
const corpus = resolve(root, "../shared/specs/corpus");
const largest = readdirSync(corpus)
  .filter((f) => /\.(json|ya?ml)$/.test(f))
  .map((f) => join(corpus, f))
  .sort((a, b) => statSync(b).size - statSync(a).size)[0];
const bigArgs = ["--info", "--spec", largest];
const tokenEnv = { OPCLI_ACCESS_TOKEN: token };
const noModelCache = { OPCLI_NO_CACHE: "1" };

const cases = {
  floor: [[floorScript, opUrl, token]],
  op: [[opcli, ...opArgs], tokenEnv],
  opPlain: [[plainLoader, ...opArgs], tokenEnv],
  nodeZero: [["-e", "0"]],
  infoWarm: [[opcli, ...infoArgs]],
  infoWarmPlain: [[plainLoader, ...infoArgs]],
  infoCold: [[opcli, ...infoArgs], noModelCache],
  listWarm: [[opcli, ...listArgs]],
  bigWarm: [[opcli, ...bigArgs]],
  bigCold: [[opcli, ...bigArgs], noModelCache],
};
// Round-robin, so that a busy machine weighs on every case alike.
const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < RUNS + 2; i++) {
  for (const [k, [args, extra]] of Object.entries(cases)) {
    const ms = timeOnce(process.execPath, args, { ...env, ...extra });
    if (i >= 2) samples[k].push(ms);
  }
}
server.stop();
const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, medianOf(v)]));

console.log(`medians of ${RUNS} interleaved runs each\n`);
row("floor: node:http script, same authenticated GET", m.floor, m.floor, "floor");
row("opcli --operation-id get-session-by-id (token in hand)", m.op, m.floor, "floor");
row("  same, bundle loaded by a plain require (no code cache)", m.opPlain, m.floor, "floor");
row("node -e 0", m.nodeZero, m.nodeZero, "node -e 0");
row("opcli --info AuthSessionManagement --spec jans (warm cache)", m.infoWarm, m.nodeZero, "node -e 0");
row("  same, bundle loaded by a plain require (no code cache)", m.infoWarmPlain, m.nodeZero, "node -e 0");
row("opcli --info AuthSessionManagement --spec jans (no model cache)", m.infoCold, m.nodeZero, "node -e 0");
row("opcli --info --spec jans: the tag listing (warm cache)", m.listWarm, m.nodeZero, "node -e 0");
row(`opcli --info --spec ${basename(largest)} (warm cache)`, m.bigWarm, m.nodeZero, "node -e 0");
row(`opcli --info --spec ${basename(largest)} (no model cache)`, m.bigCold, m.nodeZero, "node -e 0");
