#!/usr/bin/env node
// What the token cache costs per call: medians of `opcli --operation-id get-session-by-id` with
// --access-token (baseline), with a token cached in the file store, and (when a Secret Service
// can be had) in the OS keychain, all in one run. Re-runs itself under dbus-run-session with a
// throwaway gnome-keyring when it is not already in a D-Bus session and the tools are present.
// Usage: node scripts/bench/token-cache.mjs [--runs N]
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { median, referenceServer, root, row } from "./lib.mjs";

const { values } = parseArgs({ options: { runs: { type: "string", default: "25" } } });
const has = (bin) => spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;
if (
  !process.env.DBUS_SESSION_BUS_ADDRESS &&
  !process.env.OPCLI_BENCH_NO_DBUS &&
  has("dbus-run-session") &&
  has("gnome-keyring-daemon")
) {
  const home = mkdtempSync(join(tmpdir(), "opcli-bench-keyring-"));
  const script = `echo -n bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec node ${process.argv[1]} --runs ${values.runs}`;
  const r = spawnSync("dbus-run-session", ["--", "sh", "-c", script], {
    stdio: ["ignore", "inherit", "ignore"],
    env: { ...process.env, HOME: home },
  });
  process.exit(r.status ?? 1);
}

const RUNS = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), "opcli-tokbench-"));
const server = await referenceServer(dir);
const opcli = join(root, "bin/opcli");
const args = [
  opcli,
  "--operation-id",
  "get-session-by-id",
  "--url-suffix",
  `sid:${server.sid}`,
  "--host",
  server.url,
];
const base = {
  PATH: process.env.PATH,
  NO_COLOR: "1",
  OPCLI_CLIENT_ID: server.admin.client_id,
  OPCLI_CLIENT_SECRET: server.admin.client_secret,
};
const env = (store) => ({
  ...base,
  HOME: mkdtempSync(join(tmpdir(), "opcli-tokbench-home-")),
  OPCLI_TOKEN_STORE: store,
  ...(process.env.DBUS_SESSION_BUS_ADDRESS
    ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS }
    : {}),
});

const given = median(process.execPath, args, { ...env("none"), OPCLI_ACCESS_TOKEN: server.token }, RUNS);
// The warm-up runs of median() fill each cache; the timed runs all hit it.
const file = median(process.execPath, args, env("file"), RUNS);
const keychain = process.env.DBUS_SESSION_BUS_ADDRESS
  ? median(process.execPath, args, env("keychain"), RUNS)
  : undefined;
const none = median(process.execPath, args, env("none"), RUNS);
server.stop();

console.log(`medians of ${RUNS} runs each\n`);
row("--access-token (no cache involved)", given, given, "baseline");
row("cached token, file store", file, given, "baseline");
if (keychain !== undefined) row("cached token, OS keychain (gnome-keyring)", keychain, given, "baseline");
else console.log("(keychain: no Secret Service available here)");
row("no cache: client-credentials grant on every call", none, given, "baseline");
console.log(
  `\nfile store adds ${(file - given).toFixed(1)} ms${keychain !== undefined ? `; keychain adds ${(keychain - given).toFixed(1)} ms` : ""}`,
);
