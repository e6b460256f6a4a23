import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { createApp, createDeps } from "./app.js";
import { createClient } from "./clients.js";
import { ConfigError, DEFAULT_CONFIG, loadConfigFile } from "./config.js";
import { jsonLogger, silentLogger } from "./log.js";
import { ALL_SCOPES } from "./oauth/scopes.js";
import { adminCredentialsPath, defaultDbPath } from "./paths.js";
import { provisionAdminClient } from "./provision.js";
import { seedDemo } from "./seed.js";
import { SqliteStore } from "./store/sqlite.js";
import { startSweeper } from "./sweeper.js";
import { createUser, UserError } from "./users.js";

export interface ServerIO {
  argv: string[];
  env: NodeJS.ProcessEnv;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: () => string;
}

const USAGE = `Usage:
  opcli-server [serve] [--port N] [--host ADDR] [--db FILE] [--config FILE] [--issuer URL] [--quiet]
               [--tls-port N --tls-cert PEM --tls-key PEM [--tls-client-ca PEM]]
  opcli-server client create [--name NAME] [--scopes "S1 S2"] [--db FILE]
  opcli-server user create --username NAME --password-stdin [--db FILE]
  opcli-server seed [--users N] [--sessions-per-user M] [--password-stdin] [--db FILE]

Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 configuration.`;

class UsageError extends Error {}

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  db: { type: "string" },
  config: { type: "string" },
  issuer: { type: "string" },
  name: { type: "string" },
  scopes: { type: "string" },
  username: { type: "string" },
  users: { type: "string" },
  "sessions-per-user": { type: "string" },
  "password-stdin": { type: "boolean" },
  quiet: { type: "boolean" },
  "tls-port": { type: "string" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "tls-client-ca": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function intOption(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a non-negative integer, not "${raw}"`);
  return Number(raw);
}

async function open(values: Record<string, unknown>, io: ServerIO, issuer?: string) {
  const dbPath = (values.db as string | undefined) ?? defaultDbPath(io.env);
  const config = values.config ? loadConfigFile(values.config as string) : DEFAULT_CONFIG;
  const store = new SqliteStore({ path: dbPath });
  const log = values.quiet ? silentLogger : jsonLogger(io.stderr);
  const deps = await createDeps({ store, config, log, ...(issuer ? { issuer } : {}) });
  return { deps, dbPath };
}

async function serveCommand(values: Record<string, unknown>, io: ServerIO): Promise<number> {
  const port = intOption(values.port as string | undefined, "port", 8080);
  const hostname = (values.host as string | undefined) ?? "127.0.0.1";
  const issuer = (values.issuer as string | undefined) ?? `http://${hostname}:${port}/jans-auth`;
  const { deps, dbPath } = await open(values, io, issuer);
  const provisioned = provisionAdminClient(deps, dbPath);
  if (provisioned) deps.log.info("admin client provisioned", { credentials_file: provisioned });
  const app = createApp(deps);
  const stopSweeper = startSweeper(deps);
  const server = serve({ fetch: app.fetch, port, hostname });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const addr = server.address() as AddressInfo;
  const tlsServer = await startTls(values, app.fetch, hostname);
  const tlsUrl = tlsServer ? `https://${hostname}:${(tlsServer.address() as AddressInfo).port}` : undefined;
  deps.log.info("listening", { url: `http://${addr.address}:${addr.port}`, tls: tlsUrl, store: dbPath });
  const ready = {
    listening: `http://${addr.address}:${addr.port}`,
    ...(tlsUrl ? { tls: tlsUrl } : {}),
    admin: adminCredentialsPath(dbPath),
  };
  io.stdout(`${JSON.stringify(ready)}\n`);
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      deps.log.info("shutting down", { signal });
      stopSweeper();
      // close() stops accepting and waits for in-flight requests; idle keep-alives are dropped.
      tlsServer?.close();
      server.close(() => {
        deps.store.close();
        resolve(0);
      });
      (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
}

/** An HTTPS listener beside the plain one; with --tls-client-ca it requires client certificates. */
async function startTls(
  values: Record<string, unknown>,
  fetch: (req: Request) => Response | Promise<Response>,
  hostname: string,
) {
  if (values["tls-port"] === undefined) return undefined;
  if (!values["tls-cert"] || !values["tls-key"])
    throw new UsageError("--tls-port needs --tls-cert and --tls-key");
  const read = (flag: string) => {
    try {
      return readFileSync(String(values[flag]));
    } catch (err) {
      throw new ConfigError(`cannot read --${flag}: ${(err as Error).message}`);
    }
  };
  const clientCa = values["tls-client-ca"] ? read("tls-client-ca") : undefined;
  const server = serve({
    fetch,
    port: intOption(values["tls-port"] as string, "tls-port", 0),
    hostname,
    createServer: createHttpsServer,
    serverOptions: {
      cert: read("tls-cert"),
      key: read("tls-key"),
      ...(clientCa ? { ca: clientCa, requestCert: true, rejectUnauthorized: true } : {}),
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  return server;
}

async function clientCommand(values: Record<string, unknown>, io: ServerIO): Promise<number> {
  const { deps } = await open({ ...values, quiet: true }, io);
  const scopes = values.scopes
    ? String(values.scopes)
        .split(/[\s,]+/)
        .filter(Boolean)
    : ALL_SCOPES;
  const creds = createClient(deps.store, deps.clock, (values.name as string | undefined) ?? "client", scopes);
  deps.store.close();
  io.stdout(`${JSON.stringify(creds, null, 2)}\n`);
  return 0;
}

async function userCommand(values: Record<string, unknown>, io: ServerIO): Promise<number> {
  if (!values.username || !values["password-stdin"]) {
    throw new UsageError("user create needs --username and --password-stdin");
  }
  const password = io.stdin().replace(/\r?\n$/, "");
  const { deps } = await open({ ...values, quiet: true }, io);
  const user = await createUser(deps.store, deps.config, String(values.username), password);
  deps.store.close();
  io.stdout(`${JSON.stringify({ dn: user.dn, username: user.username })}\n`);
  return 0;
}

async function seedCommand(values: Record<string, unknown>, io: ServerIO): Promise<number> {
  const password = values["password-stdin"] ? io.stdin().replace(/\r?\n$/, "") : "demo-password-123";
  const { deps } = await open({ ...values, quiet: true }, io);
  const users = intOption(values.users as string | undefined, "users", 5);
  const perUser = intOption(values["sessions-per-user"] as string | undefined, "sessions-per-user", 2);
  const result = await seedDemo(deps, createApp(deps), { users, sessionsPerUser: perUser, password });
  deps.store.close();
  io.stdout(`${JSON.stringify({ users, sessions: result.sessions })}\n`);
  return 0;
}

export async function runServerCli(io: ServerIO): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: io.argv, options: OPTIONS, allowPositionals: true });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const command = positionals.join(" ") || "serve";
    if (command === "serve") return await serveCommand(values, io);
    if (command === "client create") return await clientCommand(values, io);
    if (command === "user create") return await userCommand(values, io);
    if (command === "seed") return await seedCommand(values, io);
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof UsageError || e.code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`opcli-server: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (
      err instanceof ConfigError ||
      err instanceof UserError ||
      e.code === "EADDRINUSE" ||
      e.code === "EACCES"
    ) {
      io.stderr(`opcli-server: ${e.message}\n`);
      return 3;
    }
    io.stderr(`opcli-server: unexpected error: ${e.message}\n`);
    if (io.env.OPCLI_DEBUG) io.stderr(`${e.stack}\n`);
    return 1;
  }
}

export function processIO(): ServerIO {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    stdin: () => readFileSync(0, "utf8"),
  };
}
