import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const SERVER_BIN = join(ROOT, "bin/opcli-server");

export interface RunningServer {
  url: string;
  tlsUrl?: string;
  dir: string;
  db: string;
  admin: { client_id: string; client_secret: string };
  proc: ChildProcess;
  logs(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts bin/opcli-server on an ephemeral 127.0.0.1 port over a fresh SQLite file. */
export async function startServer(
  config: Record<string, unknown> = {},
  dir = mkdtempSync(join(tmpdir(), "opcli-srv-")),
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningServer> {
  const db = join(dir, "server.db");
  // A --store among the extra arguments replaces the SQLite file.
  const args = ["--port", "0", ...(extraArgs.includes("--store") ? [] : ["--db", db]), ...extraArgs];
  if (Object.keys(config).length > 0) {
    writeFileSync(join(dir, "config.json"), JSON.stringify(config));
    args.push("--config", join(dir, "config.json"));
  }
  const proc = spawn(process.execPath, [SERVER_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  let stdout = "";
  let stderr = "";
  proc.stdout!.setEncoding("utf8");
  proc.stderr!.setEncoding("utf8");
  proc.stderr!.on("data", (d) => {
    stderr += d;
  });
  type Ready = { listening?: string; tls?: string; admin?: string };
  const ready = await new Promise<Ready>((res, rej) => {
    proc.stdout!.on("data", (d) => {
      stdout += d;
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line) res(JSON.parse(line) as Ready);
    });
    proc.once("exit", (code) => rej(new Error(`server exited ${code}: ${stderr}`)));
  });
  const admin = JSON.parse(readFileSync(ready.admin ?? join(dir, "admin-client.json"), "utf8"));
  const exited = new Promise<number | null>((res) => proc.once("exit", (code) => res(code)));
  return {
    url: ready.listening ?? ready.tls!,
    ...(ready.tls ? { tlsUrl: ready.tls } : {}),
    dir,
    db,
    admin,
    proc,
    logs: () => stdout + stderr,
    stop: async (signal = "SIGTERM") => {
      if (proc.exitCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** An instance on a PostgreSQL database: instances given one dir share the admin client's file; one issuer for all. */
export function startPgServer(
  url: string,
  dir: string,
  config: Record<string, unknown> = {},
  extraArgs: string[] = [],
): Promise<RunningServer> {
  const args = ["--store", url, "--issuer", "http://opcli-cluster.test/jans-auth", ...extraArgs];
  return startServer(config, dir, args, { ...process.env, XDG_DATA_HOME: dir });
}

export async function adminToken(s: RunningServer, scope?: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) });
  const res = await fetch(`${s.url}/jans-auth/restv1/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${s.admin.client_id}:${s.admin.client_secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body,
  });
  if (!res.ok) throw new Error(`token ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export async function loginOverHttp(s: RunningServer, username: string, password: string): Promise<Response> {
  return fetch(`${s.url}/jans-auth/restv1/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "e2e-agent" },
    body: JSON.stringify({ username, password }),
  });
}

export interface Stats {
  tokenGrants: number;
  deviceGrants: number;
  refreshGrants: number;
  passwordChecks: number;
}

// One admin token per server for reading counters, taken once: a grant per read would move tokenGrants.
const statsTokens = new WeakMap<RunningServer, Promise<string>>();

/** The server's counters, which /health shows only to an admin token that may read. */
export async function serverStats(s: RunningServer, token?: string): Promise<Stats> {
  if (!token && !statsTokens.has(s)) statsTokens.set(s, adminToken(s));
  const bearer = token ?? (await statsTokens.get(s)!);
  const res = await fetch(`${s.url}/health`, { headers: { authorization: `Bearer ${bearer}` } });
  const body = (await res.json()) as { stats?: Stats };
  if (!body.stats) throw new Error(`/health showed no counters (${res.status})`);
  return body.stats;
}
