#!/usr/bin/env node
// Start-up benchmark, all figures measured in this one run (medians of sequential runs):
//  1. opcli --operation-id get-session-by-id with a token in hand, against a bare node script
//     that sends the same authenticated request with node:http (the floor);
//  2. opcli --info AuthSessionManagement --spec <Janssen document>, and --info on the largest
//     corpus document, each warm (compiled model cached) and cold (empty cache), against `node -e 0`.
// Usage: node scripts/bench/startup.mjs [--runs N]
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { median, referenceServer, root, row } from "./lib.mjs";

const { values } = parseArgs({ options: { runs: { type: "string", default: "25" } } });
const RUNS = Number(values.runs);
const jans = resolve(root, "../shared/specs/jans-config-api.yaml");
const dir = mkdtempSync(join(tmpdir(), "opcli-startup-"));
const env = { PATH: process.env.PATH, HOME: dir, NO_COLOR: "1" };

const server = await referenceServer(dir);
const { url, sid, token } = server;
const run = (cmd, args, extra = {}) => median(cmd, args, { ...env, ...extra }, RUNS);

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

const floor = run(process.execPath, [floorScript, opUrl, token]);
const op = run(
  process.execPath,
  [opcli, "--operation-id", "get-session-by-id", "--url-suffix", `sid:${sid}`, "--host", url],
  {
    OPCLI_ACCESS_TOKEN: token,
  },
);
const nodeZero = run(process.execPath, ["-e", "0"]);
const infoArgs = [opcli, "--info", "AuthSessionManagement", "--spec", jans];
const infoWarm = run(process.execPath, infoArgs);
const infoCold = run(process.execPath, infoArgs, { OPCLI_NO_CACHE: "1" });
const corpus = resolve(root, "../shared/specs/corpus");
const largest = readdirSync(corpus)
  .filter((f) => /\.(json|ya?ml)$/.test(f))
  .map((f) => join(corpus, f))
  .sort((a, b) => statSync(b).size - statSync(a).size)[0];
const bigArgs = [opcli, "--info", "--spec", largest];
const bigWarm = run(process.execPath, bigArgs);
const bigCold = run(process.execPath, bigArgs, { OPCLI_NO_CACHE: "1" });
server.stop();

console.log(`medians of ${RUNS} runs each\n`);
row("floor: node:http script, same authenticated GET", floor, floor, "floor");
row("opcli --operation-id get-session-by-id (token in hand)", op, floor, "floor");
row("node -e 0", nodeZero, nodeZero, "node -e 0");
row("opcli --info AuthSessionManagement --spec jans (warm cache)", infoWarm, nodeZero, "node -e 0");
row("opcli --info AuthSessionManagement --spec jans (no cache)", infoCold, nodeZero, "node -e 0");
row(`opcli --info --spec ${basename(largest)} (warm cache)`, bigWarm, nodeZero, "node -e 0");
row(`opcli --info --spec ${basename(largest)} (no cache)`, bigCold, nodeZero, "node -e 0");
