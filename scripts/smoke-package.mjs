#!/usr/bin/env node
// The npm package as a CI job uses it (.ci/run): npm pack, `npm install -g` of the tarball into
// a temporary prefix from the registry npm is configured with, then the installed opcli
// (--version, --info on the bundled document, the embedded default), an operation against an
// opcli-server installed from the same tarball on a free 127.0.0.1 port, and npx from the
// tarball. Prints one line per check and exits 1 if any fails; stops what it starts and removes
// its directory (OPCLI_SMOKE_KEEP=1 keeps it).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { installNode } from "./node-versions.mjs";

const root = resolve(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "opcli-smoke-"));
const prefix = join(work, "prefix");
const children = new Set();
let failed = 0;

function check(name, ok, detail = "") {
  console.log(
    `${ok ? "ok  " : "FAIL"} ${name}${!ok && detail ? `\n     ${detail.trim().split("\n").join("\n     ")}` : ""}`,
  );
  if (!ok) failed++;
  return ok;
}

/** A home of its own: no config, cache, keychain or token of the machine's user. */
function isolated(extra = {}) {
  return {
    PATH: process.env.PATH,
    HOME: join(work, "home"),
    XDG_CONFIG_HOME: join(work, "home", "config"),
    XDG_CACHE_HOME: join(work, "home", "cache"),
    XDG_DATA_HOME: join(work, "home", "data"),
    OPCLI_TOKEN_STORE: "none",
    NO_COLOR: "1",
    ...extra,
  };
}

function sh(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 300_000, ...opts });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}`;
  return {
    code: r.status ?? 1,
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? "",
    out,
    s: (performance.now() - t0) / 1000,
  };
}

function stopAll() {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
}
process.on("exit", stopAll);
for (const sig of ["SIGINT", "SIGTERM"])
  process.on(sig, () => {
    stopAll();
    process.exit(130);
  });

/** Node 22.16+ and 24 have node:sqlite; on Node 20 the package has no SQLite driver. */
function hasNodeSqlite(version) {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 16);
}

function pack() {
  const r = sh("npm", ["pack", "--json", "--pack-destination", work], { cwd: root });
  const at = r.stdout.search(/^\[/m);
  let info;
  try {
    info = JSON.parse(r.stdout.slice(at))[0];
  } catch {}
  if (!check("npm pack (prepack builds dist/)", r.code === 0 && info !== undefined, r.out)) return undefined;
  const paths = info.files.map((f) => f.path);
  console.log(
    `     ${info.filename}: ${info.size} bytes (${(info.size / 1000).toFixed(1)} kB), ${info.entryCount} files`,
  );
  const missing = [
    "dist/opcli.cjs",
    "dist/opcli-lazy.cjs",
    "dist/server.js",
    "dist/bundled-model.json",
    "LICENSE",
    "README.md",
  ].filter((p) => !paths.includes(p));
  check("the tarball holds the bundle, README and LICENSE", missing.length === 0, `missing: ${missing}`);
  const extra = paths.filter((p) => /^(src|test|scripts)\/|\.map$/.test(p));
  check("the tarball holds no sources, tests or source maps", extra.length === 0, extra.join("\n"));
  return { tgz: join(work, info.filename), version: info.version };
}

function install(tgz) {
  const r = sh("npm", ["install", "-g", "--prefix", prefix, tgz, "--no-audit", "--no-fund"], { cwd: work });
  if (
    !check(`npm install -g --prefix TMP ${tgz.split("/").pop()} (${r.s.toFixed(1)} s)`, r.code === 0, r.out)
  )
    return false;
  check("no install-script warnings", !/install-scripts|allow-scripts/.test(r.out), r.out);
  const native = ["lib/node_modules/better-sqlite3", "lib/node_modules/opcli/node_modules/better-sqlite3"];
  check("nothing compiled (better-sqlite3 not installed)", !native.some((p) => existsSync(join(prefix, p))));
  return true;
}

function cliChecks(version) {
  const opcli = join(prefix, "bin", "opcli");
  const v = sh(opcli, ["--version"], { env: isolated() });
  check(`opcli --version prints ${version}`, v.code === 0 && v.stdout.trim() === version, v.out);
  const info = sh(opcli, ["--info"], { env: isolated() });
  check("opcli --info on the bundled document", info.code === 0 && /operations/.test(info.stdout), info.out);
  // The shipped overlay (spec/overlays/) reaches a document titled as Janssen's from the install:
  // its x-opcli-filter refuses a malformed fieldValuePair before anything is sent (exit 2).
  const doc = join(work, "config-api.yaml");
  writeFileSync(
    doc,
    `openapi: 3.0.1
info: { title: Jans Config API, version: "1" }
servers: [{ url: "http://127.0.0.1:9" }]
paths:
  /search:
    get:
      operationId: search-session
      parameters: [{ name: fieldValuePair, in: query, schema: { type: string } }]
      responses: { "200": { description: ok } }
`,
  );
  const hinted = sh(
    opcli,
    ["--spec", doc, "--operation-id", "search-session", "--endpoint-args", "fieldValuePair:a"],
    {
      env: isolated({ OPCLI_ACCESS_TOKEN: "t" }),
    },
  );
  check(
    "the shipped overlay applies from the installed package (exit 2 before sending)",
    hinted.code === 2 && /fieldValuePair: /.test(hinted.out),
    hinted.out,
  );
  const emb = sh(opcli, ["--operation-id", "get-sessions"], { env: isolated() });
  if (hasNodeSqlite(process.version))
    check(
      "the embedded default on node:sqlite",
      emb.code === 0 && Array.isArray(JSON.parse(emb.stdout || "{}").entries),
      emb.out,
    );
  else
    check(
      `the embedded default on Node ${process.versions.node}: exit 3, one line naming better-sqlite3`,
      emb.code === 3 && emb.stderr.trim().split("\n").length === 1 && /better-sqlite3/.test(emb.stderr),
      `exit ${emb.code}: ${emb.out}`,
    );
}

/** opcli-server from the prefix, on Node 24 when this Node has no SQLite driver. */
function serverPath() {
  if (hasNodeSqlite(process.version)) return process.env.PATH;
  const node = installNode(24, join(work, "node24"));
  if (!check("node@24 from npm, for opcli-server (Node 20 has no built-in SQLite)", node !== undefined))
    return undefined;
  return `${node.bin}:${process.env.PATH}`;
}

async function startServer(path) {
  const db = join(work, "server", "server.db");
  const proc = spawn(
    join(prefix, "bin", "opcli-server"),
    ["--host", "127.0.0.1", "--port", "0", "--db", db],
    {
      env: isolated({ PATH: path }),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.add(proc);
  let stderr = "";
  proc.stderr.on("data", (d) => {
    stderr += d;
  });
  const first = await Promise.race([
    new Promise((res) => createInterface({ input: proc.stdout }).once("line", res)),
    new Promise((res) => proc.once("exit", () => res(undefined))),
    new Promise((res) => setTimeout(res, 30_000, undefined)).then(() => undefined),
  ]);
  let ready;
  try {
    ready = JSON.parse(first);
  } catch {}
  if (
    !check(
      "opcli-server starts on a free 127.0.0.1 port",
      ready?.listening !== undefined,
      `${first ?? ""}${stderr}`,
    )
  )
    return { proc };
  const admin = JSON.parse(readFileSync(ready.admin ?? join(work, "server", "admin-client.json"), "utf8"));
  return { proc, url: ready.listening, admin };
}

async function stopServer(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((res) => proc.once("exit", res));
  proc.kill("SIGTERM");
  const done = await Promise.race([exited, new Promise((res) => setTimeout(res, 15_000, "timeout"))]);
  if (done === "timeout") proc.kill("SIGKILL");
  check("opcli-server stops on SIGTERM", done !== "timeout");
  children.delete(proc);
}

async function serverChecks() {
  const path = serverPath();
  if (!path) return;
  const s = await startServer(path);
  try {
    if (!s.url) return;
    const r = sh(
      join(prefix, "bin", "opcli"),
      [
        "--host",
        s.url,
        "--client-id",
        s.admin.client_id,
        "--client-secret",
        "-",
        "--no-input",
        "--operation-id",
        "get-sessions",
      ],
      { env: isolated(), input: `${s.admin.client_secret}\n` },
    );
    let body;
    try {
      body = JSON.parse(r.stdout);
    } catch {}
    check(
      "opcli --operation-id get-sessions against it (--client-secret -)",
      r.code === 0 && Array.isArray(body?.entries),
      r.out,
    );
    check("the client secret is not echoed", !r.out.includes(s.admin.client_secret));
    // The README's curl step: a token from --output-access-token, sent by another client.
    const t = sh(
      join(prefix, "bin", "opcli"),
      [
        "--host",
        s.url,
        "--client-id",
        s.admin.client_id,
        "--client-secret",
        "-",
        "--no-input",
        "--output-access-token",
      ],
      { env: isolated(), input: s.admin.client_secret },
    );
    const token = t.stdout.trim();
    const res = await fetch(`${s.url}/jans-config-api/api/v1/jans-auth-server/session`, {
      headers: { authorization: `Bearer ${token}` },
    }).catch((err) => ({ status: String(err) }));
    check(
      "--output-access-token for a curl step",
      t.code === 0 && res.status === 200,
      `exit ${t.code}, HTTP ${res.status}`,
    );
  } finally {
    await stopServer(s.proc);
  }
}

function npxCheck(tgz, version) {
  // npm's configuration as CI has it (registry, CA: the user's .npmrc), but a cache of its own:
  // npx installs into it, never into the user's.
  const r = sh("npx", ["--yes", "--package", tgz, "--", "opcli", "--version"], {
    cwd: work,
    env: { ...process.env, npm_config_cache: join(work, "npm-cache"), npm_config_update_notifier: "false" },
  });
  check(
    `npx --package ${tgz.split("/").pop()} opcli --version (${r.s.toFixed(1)} s)`,
    r.code === 0 && r.stdout.trim() === version,
    r.out,
  );
}

console.log(
  `package smoke test on Node ${process.versions.node}, npm ${sh("npm", ["--version"]).stdout.trim()}, in ${work}`,
);
try {
  const packed = pack();
  if (packed && install(packed.tgz)) {
    cliChecks(packed.version);
    await serverChecks();
    npxCheck(packed.tgz, packed.version);
  }
} catch (err) {
  check("the smoke test ran to its end", false, err?.stack ?? String(err));
} finally {
  stopAll();
  if (!process.env.OPCLI_SMOKE_KEEP) rmSync(work, { recursive: true, force: true });
}
if (failed > 0) {
  console.log(`package smoke test failed: ${failed} check${failed === 1 ? "" : "s"} (FAIL lines above)`);
  process.exit(1);
}
console.log("package smoke test passed");
