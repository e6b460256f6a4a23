#!/usr/bin/env node
// Which processes a test run left running: those carrying the run's mark in their environment
// (OPCLI_TEST_RUN=<mark>, inherited by everything the suite spawns) or naming the run's own
// temporary directory on their command line (a PostgreSQL postmaster: -D <tmp>/opcli-pg-…).
// Waits up to --wait ms for them to go; exit 1 listing them (and, with --kill, killing them).
// Usage: OPCLI_TEST_RUN=<mark> OPCLI_TEST_TMP=<dir> node scripts/leftover-processes.mjs [--wait ms] [--kill]
import { readdirSync, readFileSync } from "node:fs";

const read = (path) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return ""; // gone meanwhile, or not ours to read
  }
};

/** The run's processes still alive (zombies are dead: only their parent has not reaped them). */
export function leftovers(mark, tmp, self = process.pid) {
  const found = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === self) continue;
    if (/^State:\s+Z/m.test(read(`/proc/${pid}/status`))) continue;
    const cmd = read(`/proc/${pid}/cmdline`).split("\0").join(" ").trim();
    const marked = mark && read(`/proc/${pid}/environ`).split("\0").includes(`OPCLI_TEST_RUN=${mark}`);
    if (marked || (tmp && cmd.includes(tmp))) found.push({ pid: Number(pid), cmd });
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { OPCLI_TEST_RUN: mark, OPCLI_TEST_TMP: tmp } = process.env;
  if (!mark && !tmp) {
    console.error("leftover-processes: set OPCLI_TEST_RUN and/or OPCLI_TEST_TMP");
    process.exit(2);
  }
  const i = process.argv.indexOf("--wait");
  const deadline = Date.now() + (i > 0 ? Number(process.argv[i + 1]) : 10_000);
  let found = leftovers(mark, tmp);
  while (found.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    found = leftovers(mark, tmp);
  }
  for (const p of found) console.error(`still running after the tests: pid ${p.pid}: ${p.cmd.slice(0, 200)}`);
  if (found.length > 0 && process.argv.includes("--kill"))
    for (const p of found)
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {}
  process.exit(found.length > 0 ? 1 : 0);
}
