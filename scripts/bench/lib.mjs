// Shared pieces of the benchmarks: medians of sequential process runs, and a reference server
// with one user logged in.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { openSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");

/** Wall time (ms) of one run; fails on a non-zero exit. */
export function timeOnce(cmd, args, env) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export function medianOf(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall time (ms) of `runs` sequential runs after two warm-ups; fails on a non-zero exit. */
export function median(cmd, args, env, runs) {
  const times = [];
  for (let i = 0; i < runs + 2; i++) {
    const ms = timeOnce(cmd, args, env);
    if (i >= 2) times.push(ms);
  }
  return medianOf(times);
}

/** Starts bin/opcli-server in dir; returns its URL, admin credentials, a session id and a token. */
export async function referenceServer(dir) {
  const db = join(dir, "server.db");
  writeFileSync(join(dir, "config.json"), JSON.stringify({ passwordHashCost: 1024 }));
  const bin = join(root, "bin/opcli-server");
  const proc = spawn(
    process.execPath,
    [bin, "--port", "0", "--db", db, "--quiet", "--config", join(dir, "config.json")],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise((res) =>
    proc.stdout.once("data", (d) => res(JSON.parse(String(d).split("\n")[0]).listening)),
  );
  execFileSync(
    process.execPath,
    [bin, "user", "create", "--username", "bench", "--password-stdin", "--db", db],
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
  return { url, admin, sid, token, stop: () => proc.kill("SIGTERM") };
}

export function row(name, ms, base, baseName) {
  console.log(`${name.padEnd(58)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / base).toFixed(2)}x ${baseName}`);
}

/** Starts a node process that prints {"listening": url} first; resolves its URL and process. */
export function startListening(args, stderrFile) {
  const proc = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", stderrFile ? openSync(stderrFile, "a") : "inherit"],
  });
  return new Promise((res) =>
    proc.stdout.once("data", (d) => res({ url: JSON.parse(String(d).split("\n")[0]).listening, proc })),
  );
}

/** One wrk run: requests/s, p50 and p99 in ms; fails on non-2xx answers. */
export function wrk({ url, headers = [], script }, seconds, connections) {
  const args = ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency"];
  for (const h of headers) args.push("-H", h);
  if (script) args.push("-s", script);
  const out = execFileSync("wrk", [...args, url]).toString();
  if (/Non-2xx/.test(out)) throw new Error(`non-2xx answers from ${url}\n${out}`);
  const ms = (label) => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : Number.NaN;
  };
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]), p50: ms("50%"), p99: ms("99%") };
}

/** A core result's value (the server's core answers refusals as values); a refusal stops the benchmark. */
export function must(r) {
  if (!r.ok) throw new Error(`refused (${r.error.kind}): ${r.error.message}`);
  return r.value;
}
