#!/usr/bin/env node
// Server hot paths under wrk, against a bare node:http server answering a JSON body of the same
// size (the floor), all in this one run, rounds interleaved:
//  - GET .../session/sid/{sid} with a bearer token (get-by-id);
//  - GET /jans-auth/restv1/session_status with the session cookie;
//  - POST PingAM sessions?_action=validate&refresh=false with a fr:am:sessions:read token, and
//    refresh=true (the idle reset) with a fr:am:* token;
//  - POST /jans-auth/restv1/token client_credentials (the client record and signing);
//  - with --sessions N: the store first filled with N sessions, and get-by-id of a different sid
//    each request (10,000 of them, in turn) beside the same sid each time.
// The server logs each request (no --quiet) to a file, as in production. A second baseline, hono
// alone answering the same bytes, shows what the framework leaves of the floor; a third, node:http
// with the store's two reads (ceiling-server.mjs), what the platform leaves with them.
// Usage: node scripts/bench/hot-paths.mjs [--rounds 3] [--seconds 5] [--connections 16] [--sessions N]
//        [--only a,b] [--profile DIR]
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { medianOf, root, wrk } from "./lib.mjs";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "16" },
    only: { type: "string" },
    sessions: { type: "string", default: "0" },
    // Writes the server's CPU profile (node --cpu-prof) into this directory when it stops.
    profile: { type: "string" },
    // Extra arguments for the server (e.g. --quiet, to weigh the request log).
    "server-arg": { type: "string", multiple: true, default: [] },
  },
});
const dir = mkdtempSync(join(tmpdir(), "opcli-hot-"));
const bin = join(root, "bin/opcli-server");
const db = join(dir, "server.db");
writeFileSync(join(dir, "config.json"), JSON.stringify({ passwordHashCost: 1024 }));

/** Starts a node process that prints {"listening": url} first; resolves its URL. */
function start(args, stderrFile) {
  const proc = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", stderrFile ? openSync(stderrFile, "a") : "inherit"],
  });
  return new Promise((res) =>
    proc.stdout.once("data", (d) => res({ url: JSON.parse(String(d).split("\n")[0]).listening, proc })),
  );
}

// Filled before the server opens the store: its own records, through its own insertMany.
const SESSIONS = Number(values.sessions);
const sampled = [];
if (SESSIONS > 0) {
  const { SqliteStore } = await import("../../dist/server-lib.js");
  const { fillSessions } = await import("./sessions.mjs");
  const store = new SqliteStore({ path: db });
  const every = Math.max(1, Math.floor(SESSIONS / 10_000));
  let i = 0;
  const seconds = await fillSessions(store, SESSIONS, Date.now(), (r) => {
    if (i++ % every === 0 && sampled.length < 10_000) sampled.push(r.sid);
  });
  await store.close();
  console.log(`filled ${SESSIONS.toLocaleString()} sessions in ${seconds.toFixed(0)} s`);
}

const profile = values.profile ? ["--cpu-prof", "--cpu-prof-dir", values.profile] : [];
const server = await start(
  [...profile, bin, "--port", "0", "--db", db, "--config", join(dir, "config.json"), ...values["server-arg"]],
  join(dir, "server.log"),
);
const { url } = server;
const cli = (args, input) => execFileSync(process.execPath, [bin, ...args, "--db", db], { input }).toString();
cli(["user", "create", "--username", "bench", "--password-stdin"], "bench-password-123\n");
const am = JSON.parse(cli(["client", "create", "--name", "am", "--scopes", "fr:am:sessions:read"]));
// refresh=true (the idle reset, written at most once per latestAccessTimeUpdateFrequency) needs fr:am:*.
const amWriter = JSON.parse(cli(["client", "create", "--name", "am-writer", "--scopes", "fr:am:*"]));
const login = await fetch(`${url}/jans-auth/restv1/login`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "bench", password: "bench-password-123" }),
});
const { sid } = await login.json();
const cookie = /session_id=[^;]+/.exec(login.headers.get("set-cookie"))[0];
const tokenId = cookie.slice("session_id=".length);
const admin = JSON.parse((await import("node:fs")).readFileSync(join(dir, "admin-client.json"), "utf8"));
const tokenOf = async (c) => {
  const r = await fetch(`${url}/jans-auth/restv1/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: c.client_id,
      client_secret: c.client_secret,
    }),
  });
  return (await r.json()).access_token;
};
const adminToken = await tokenOf(admin);
const amToken = await tokenOf(am);
const amWriterToken = await tokenOf(amWriter);
const byId = await fetch(`${url}/jans-config-api/api/v1/jans-auth-server/session/sid/${sid}`, {
  headers: { authorization: `Bearer ${adminToken}` },
});
const body = await byId.text();

// The floor: node:http answering the same bytes, in its own process like the server.
const floorFile = join(dir, "floor.mjs");
writeFileSync(
  floorFile,
  `import { createServer } from "node:http";
const body = ${JSON.stringify(body)};
const s = createServer((req, res) => { res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }); res.end(body); });
s.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ listening: "http://127.0.0.1:" + s.address().port })));
`,
);
const floor = await start([floorFile]);

// A second baseline: hono on @hono/node-server (the server's own stack) answering the same bytes
// with nothing else: what the framework alone leaves of the floor.
const honoFile = join(root, "scripts/bench", `.hono-floor-${process.pid}.mjs`);
writeFileSync(
  honoFile,
  `import { serve } from "@hono/node-server";
import { Hono } from "hono";
const body = ${JSON.stringify(body)};
const app = new Hono().get("/", (c) => c.body(body, 200, { "content-type": "application/json" }));
const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (a) => console.log(JSON.stringify({ listening: "http://127.0.0.1:" + a.port })));
`,
);
const honoFloor = await start([honoFile]);
// A third: node:http with the store's two reads per request and nothing else (ceiling-server.mjs).
const ceiling = await start([join(root, "scripts/bench/ceiling-server.mjs"), db, sid, String(body.length)]);

const lua = (name, text) => {
  const f = join(dir, `${name}.lua`);
  writeFileSync(f, text);
  return f;
};
/** PingAM's validate of the signed-in session, with or without its idle reset. */
const validate = (refresh, token) => ({
  url: `${url}/am/json/realms/root/sessions?_action=validate&refresh=${refresh}`,
  headers: [`Authorization: Bearer ${token}`],
  script: lua(
    `validate-${refresh}`,
    `wrk.method = "POST"\nwrk.body = '${JSON.stringify({ tokenId })}'\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Accept-API-Version"] = "resource=5.0"\n`,
  ),
});
const basic = Buffer.from(`${admin.client_id}:${admin.client_secret}`).toString("base64");
const cases = {
  floor: { url: `${floor.url}/` },
  "bare hono, same bytes": { url: `${honoFloor.url}/` },
  "node:http + the two reads": {
    url: `${ceiling.url}/`,
    headers: [`Authorization: Bearer ${adminToken}`],
  },
  "get-by-id": {
    url: `${url}/jans-config-api/api/v1/jans-auth-server/session/sid/${sid}`,
    headers: [`Authorization: Bearer ${adminToken}`],
  },
  session_status: { url: `${url}/jans-auth/restv1/session_status`, headers: [`Cookie: ${cookie}`] },
  "am validate": validate(false, amToken),
  "am validate (idle reset)": validate(true, amWriterToken),
  "token client_credentials": {
    url: `${url}/jans-auth/restv1/token`,
    headers: [`Authorization: Basic ${basic}`],
    script: lua(
      "token",
      `wrk.method = "POST"\nwrk.body = "grant_type=client_credentials"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n`,
    ),
  },
};
if (sampled.length > 0)
  cases["get-by-id (a sid each)"] = {
    url: `${url}/`,
    headers: [`Authorization: Bearer ${adminToken}`],
    script: lua(
      "sids",
      `local sids = {${sampled.map((x) => `"${x}"`).join(",")}}\nlocal i = 0\nrequest = function()\n  i = i % #sids + 1\n  return wrk.format("GET", "/jans-config-api/api/v1/jans-auth-server/session/sid/" .. sids[i])\nend\n`,
    ),
  };
const BASELINES = ["floor", "bare hono, same bytes", "node:http + the two reads"];
const only = values.only ? new Set([...BASELINES, ...values.only.split(",")]) : undefined;

// Check each case answers 200 once before timing it (wrk throws on a non-2xx answer).
for (const [name, c] of Object.entries(cases)) if (!only || only.has(name)) wrk(c, 1, 1);

const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < Number(values.rounds); r++) {
  for (const [name, c] of Object.entries(cases)) {
    if (only && !only.has(name)) continue;
    results[name].push(wrk(c, values.seconds, values.connections));
  }
}
server.proc.kill("SIGTERM");
floor.proc.kill("SIGTERM");
honoFloor.proc.kill("SIGTERM");
ceiling.proc.kill("SIGTERM");
rmSync(honoFile, { force: true });

const med = medianOf;
const floorRps = med(results.floor.map((x) => x.rps));
console.log(
  `wrk -t1 -c${values.connections} -d${values.seconds}s, ${values.rounds} interleaved rounds, medians; store: ${SESSIONS > 0 ? `${SESSIONS.toLocaleString()} sessions + ` : ""}one signed in (${body.length}-byte answer)\n`,
);
console.log(
  `${"route".padEnd(26)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)}  vs floor`,
);
for (const [name, rs] of Object.entries(results)) {
  if (rs.length === 0) continue;
  const rps = med(rs.map((x) => x.rps));
  console.log(
    `${name.padEnd(26)} ${rps.toFixed(0).padStart(9)} ${med(rs.map((x) => x.p50))
      .toFixed(2)
      .padStart(8)} ${med(rs.map((x) => x.p99))
      .toFixed(2)
      .padStart(8)}  ${(rps / floorRps).toFixed(3)}x`,
  );
}
