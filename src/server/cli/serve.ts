import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "../app.js";
import { startSweeper } from "../core/sweeper.js";
import { ServerConfigError, ServerUsageError } from "./errors.js";
import type { ServerIO } from "./io.js";
import { openCore } from "./open-store.js";
import { adminCredentialsPath } from "./paths.js";
import { provisionAdminClient } from "./provision.js";

type Listener = ReturnType<typeof serve>;

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

/** An HTTPS listener beside the plain one; with --tls-client-ca it requires client certificates. */
async function startTls(
  values: Record<string, unknown>,
  fetch: (req: Request) => Response | Promise<Response>,
  hostname: string,
): Promise<Listener | undefined> {
  if (values["tls-port"] === undefined) return undefined;
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

export async function serveCommand(values: Record<string, unknown>, io: ServerIO): Promise<number> {
  const port = intOption(values.port as string | undefined, "port", 8080);
  const hostname = (values.host as string | undefined) ?? "127.0.0.1";
  const issuer = (values.issuer as string | undefined) ?? `http://${hostname}:${port}/jans-auth`;
  const { core, dbPath } = await openCore(values, io, issuer);
  const provisioned = await provisionAdminClient(core, dbPath);
  if (provisioned) core.log.info("admin client provisioned", { credentials_file: provisioned });
  const app = createApp(core);
  const server = serve({ fetch: app.fetch, port, hostname });
  await listening(server, "HTTP");
  const tlsServer = await startTls(values, app.fetch, hostname);
  const stopSweeper = startSweeper(core);
  const addr = server.address() as AddressInfo;
  const tlsUrl = tlsServer ? `https://${hostname}:${(tlsServer.address() as AddressInfo).port}` : undefined;
  core.log.info("listening", { url: `http://${addr.address}:${addr.port}`, tls: tlsUrl, store: dbPath });
  const ready = {
    listening: `http://${addr.address}:${addr.port}`,
    ...(tlsUrl ? { tls: tlsUrl } : {}),
    admin: adminCredentialsPath(dbPath),
  };
  io.stdout(`${JSON.stringify(ready)}\n`);
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      core.log.info("shutting down", { signal });
      stopSweeper();
      // close() stops accepting and waits for in-flight requests; idle keep-alives are dropped.
      tlsServer?.close();
      server.close(async () => {
        await core.store.close();
        resolve(0);
      });
      (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
}
