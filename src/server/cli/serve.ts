import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { JANS_AUTH } from "../api/kit/mounts.js";
import { createApp } from "../app.js";
import type { ServerCore } from "../core/core.js";
import { startSweeper } from "../core/sweeper.js";
import { ServerConfigError, ServerUsageError } from "./errors.js";
import type { ServerIO } from "./io.js";
import { openCore } from "./open-store.js";
import { adminCredentialsPath } from "./paths.js";
import { provisionAdminClient } from "./provision.js";

type Listener = ReturnType<typeof serve>;
type Fetch = (req: Request, env?: unknown) => Response | Promise<Response>;

export function intOption(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw))
    throw new ServerUsageError(`--${name} must be a non-negative integer, not "${raw}"`);
  return Number(raw);
}

async function listening(server: Listener, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(new ServerConfigError(`cannot listen for ${what}: ${err.code ?? ""} ${err.message}`.trim())),
    );
  });
}

/** An HTTPS listener; with --tls-client-ca it requires client certificates. */
async function startTls(
  values: Record<string, unknown>,
  fetch: Fetch,
  hostname: string,
): Promise<Listener | undefined> {
  if (values["tls-port"] === undefined) {
    if (values["tls-only"])
      throw new ServerUsageError("--tls-only needs --tls-port, --tls-cert and --tls-key");
    return undefined;
  }
  if (!values["tls-cert"] || !values["tls-key"])
    throw new ServerUsageError("--tls-port needs --tls-cert and --tls-key");
  const read = (flag: string) => {
    try {
      return readFileSync(String(values[flag]));
    } catch (err) {
      throw new ServerConfigError(`cannot read --${flag}: ${(err as Error).message}`);
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
  await listening(server, "HTTPS");
  return server;
}

/**
 * Graceful stop: stop accepting, answer what is in flight (each response asks its client to
 * close the connection), close idle keep-alive connections as they appear, and after the grace
 * period close whatever is left.
 */
function gracefulStop(core: ServerCore, servers: Listener[], graceMs: number, onStopped: () => void) {
  let open = servers.length;
  const sweep = setInterval(() => {
    for (const s of servers) (s as unknown as { closeIdleConnections(): void }).closeIdleConnections();
  }, 50);
  const force = setTimeout(() => {
    core.log.warn("grace period over; closing connections", {});
    for (const s of servers) (s as unknown as { closeAllConnections(): void }).closeAllConnections();
  }, graceMs);
  force.unref();
  for (const s of servers) {
    s.close(() => {
      if (--open > 0) return;
      clearInterval(sweep);
      clearTimeout(force);
      onStopped();
    });
    (s as unknown as { closeIdleConnections(): void }).closeIdleConnections();
  }
}

/** Closes listeners a failed start bound. */
function closeAll(servers: Listener[]): void {
  for (const s of servers) s.close();
}

export async function serveCommand(values: Record<string, unknown>, io: ServerIO): Promise<number> {
  const port = intOption(values.port as string | undefined, "port", 8080);
  const hostname = (values.host as string | undefined) ?? "127.0.0.1";
  const tlsOnly = values["tls-only"] === true;
  // Bound before the core opens, answering 503 until it has: the default issuer (and so every URL
  // the server publishes) names the port actually bound, --port 0 included, never a request's Host.
  let app: ReturnType<typeof createApp> | undefined;
  const fetch: Fetch = (req, env) => (app ? app.fetch(req, env) : new Response(null, { status: 503 }));
  const servers: Listener[] = [];
  let plainUrl: string | undefined;
  let tlsServer: Listener | undefined;
  try {
    if (!tlsOnly) {
      const server = serve({ fetch, port, hostname });
      servers.push(server);
      await listening(server, "HTTP");
      const addr = server.address() as AddressInfo;
      plainUrl = `http://${addr.address}:${addr.port}`;
    }
    tlsServer = await startTls(values, fetch, hostname);
    if (tlsServer) servers.push(tlsServer);
  } catch (err) {
    closeAll(servers);
    throw err;
  }
  const tlsUrl = tlsServer ? `https://${hostname}:${(tlsServer.address() as AddressInfo).port}` : undefined;
  const bound = tlsOnly ? tlsUrl! : `http://${hostname}:${new URL(plainUrl!).port}`;
  const issuer = (values.issuer as string | undefined) ?? `${bound}${JANS_AUTH}`;
  let opened: Awaited<ReturnType<typeof openCore>>;
  try {
    opened = await openCore(values, io, issuer);
  } catch (err) {
    closeAll(servers);
    throw err;
  }
  const { core, dbPath, label } = opened;
  let draining = false;
  app = createApp(core, { draining: () => draining });
  // Only now that every listener is bound: a failed start provisions nothing and writes nothing.
  const provisioned = await provisionAdminClient(core, dbPath);
  if (provisioned) core.log.info("admin client provisioned", { credentials_file: provisioned });
  const stopSweeper = startSweeper(core);
  const stopOutbox = core.outbox.start();
  core.log.info("listening", { url: plainUrl, tls: tlsUrl, store: label });
  const ready = {
    ...(plainUrl ? { listening: plainUrl } : {}),
    ...(tlsUrl ? { tls: tlsUrl } : {}),
    admin: adminCredentialsPath(dbPath),
  };
  io.stdout(`${JSON.stringify(ready)}\n`);
  const graceMs = core.config.shutdownGracePeriod * 1000;
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      if (draining) return;
      draining = true;
      core.log.info("shutting down", { signal, grace_ms: graceMs });
      stopSweeper();
      stopOutbox();
      gracefulStop(core, servers, graceMs, async () => {
        // A delivery under way is settled first; rows not yet claimed wait for the next start.
        await core.outbox.settled();
        await core.store.close();
        resolve(0);
      });
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
}
