#!/usr/bin/env node
// Time from `opcli tui` to its first rendered table, in a real terminal (tmux), against the
// reference server on loopback; baseline in the same run: `opcli --operation-id search-session`
// printing the same first page (what the screen costs beyond the call it makes).
// Medians of --runs runs (default 10). Usage: node scripts/bench/tui.mjs [--runs N]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { referenceServer, root } from "./lib.mjs";

const { values } = parseArgs({ options: { runs: { type: "string", default: "10" } } });
const RUNS = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), "opcli-tui-bench-"));
const server = await referenceServer(dir);
const opcli = join(root, "bin/opcli");
const env = {
  PATH: process.env.PATH,
  HOME: dir,
  NO_COLOR: "1",
  TERM: "xterm-256color",
  TMUX_TMPDIR: dir,
  OPCLI_HOST: server.url,
  OPCLI_ACCESS_TOKEN: server.token,
};
const tmux = (...a) => execFileSync("tmux", a, { env, encoding: "utf8" });

function firstTable() {
  const t = performance.now();
  tmux("new-session", "-d", "-s", "b", "-x", "120", "-y", "30", `${process.execPath} ${opcli} tui`);
  let ms = Number.NaN;
  for (let i = 0; i < 2000; i++) {
    if (
      /USER +ADDRESS/.test(tmux("capture-pane", "-p", "-t", "b")) &&
      / of \d+/.test(tmux("capture-pane", "-p", "-t", "b"))
    ) {
      ms = performance.now() - t;
      break;
    }
    spawnSync("sleep", ["0.005"]);
  }
  tmux("kill-server");
  return ms;
}

function cli() {
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    [opcli, "--operation-id", "search-session", "--endpoint-args", "limit:20"],
    { env },
  );
  if (r.status !== 0) throw new Error(String(r.stderr));
  return performance.now() - t;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
firstTable();
cli();
const tui = [];
const base = [];
for (let i = 0; i < RUNS; i++) {
  tui.push(firstTable());
  base.push(cli());
}
console.log(`medians of ${RUNS} runs`);
console.log(`opcli --operation-id search-session (first page, printed) ${median(base).toFixed(1)} ms`);
console.log(
  `opcli tui to its first rendered table (tmux, polled 5 ms)  ${median(tui).toFixed(1)} ms  (${(median(tui) / median(base)).toFixed(2)}x)`,
);
server.stop();
