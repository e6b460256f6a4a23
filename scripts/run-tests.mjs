#!/usr/bin/env node
// `npm test`: the whole suite, then the token suite again against a real Secret Service
// (gnome-keyring under dbus-run-session), then one plain "N passed, N failed" line for both.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const vitest = join("node_modules", ".bin", "vitest");
const tmp = mkdtempSync(join(tmpdir(), "opcli-tests-"));
const extra = process.argv.slice(2);

function run(cmd, args, env = process.env) {
  return spawnSync(cmd, args, { stdio: "inherit", env }).status ?? 1;
}

function counts(file) {
  try {
    const r = JSON.parse(readFileSync(file, "utf8"));
    return {
      passed: r.numPassedTests,
      failed: r.numFailedTests + (r.numFailedTestSuites && !r.numFailedTests ? 1 : 0),
    };
  } catch {
    return { passed: 0, failed: 1 };
  }
}

const has = (bin) => spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;
const main = join(tmp, "main.json");
const mainStatus = run(vitest, [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${main}`,
  ...extra,
]);
const total = counts(main);
if (mainStatus !== 0 && total.failed === 0) total.failed = 1;

if (extra.length > 0) {
  // A filtered run (npm test -- some/file) skips the keychain pass.
} else if (has("dbus-run-session") && has("gnome-keyring-daemon")) {
  const out = join(tmp, "keychain.json");
  const home = mkdtempSync(join(tmpdir(), "opcli-keyring-home-"));
  const script = `echo -n opcli-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec ${vitest} run test/auth --reporter=default --reporter=json --outputFile.json=${out}`;
  console.log("\n::: token suite again, against gnome-keyring's Secret Service");
  const status = run("dbus-run-session", ["--", "sh", "-c", script], {
    ...process.env,
    HOME: home,
    OPCLI_TEST_KEYCHAIN: "1",
  });
  const k = counts(out);
  total.passed += k.passed;
  total.failed += k.failed || (status !== 0 ? 1 : 0);
} else if (process.env.CI) {
  console.log(
    "gnome-keyring or dbus-run-session is missing: the keychain suite cannot run (.ci/run installs them)",
  );
  total.failed += 1;
} else {
  console.log("\n(keychain pass skipped: install gnome-keyring and dbus-x11 to run it)");
}

// CI (or OPCLI_TEST_NODES=1): the CLI and server suites under Node 22 and 24 too.
if (extra.length === 0 && (process.env.CI || process.env.OPCLI_TEST_NODES || process.env.OPCLI_TEST_NODE24)) {
  const { runUnderNode } = await import("./node-versions.mjs");
  for (const major of [22, 24]) {
    const n = runUnderNode(major, counts);
    if (n.why) console.log(`Node ${major} pass: ${n.why}`);
    total.passed += n.passed;
    total.failed += n.failed;
  }
}

console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
