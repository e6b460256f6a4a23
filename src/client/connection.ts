import { debugFetch } from "../http/debug.js";
import type { LiteFetch } from "../http/lite.js";
import { DEFAULT_RETRY, withRetries } from "../http/retry.js";
import { nodeTransport, type TlsOptions } from "../http/transport.js";
import { verboseFetch } from "../http/verbose.js";
import { ConfigError } from "../platform/errors.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import { EMBEDDED_ORIGIN, type Embedded, openEmbedded } from "./embedded.js";
import { applyHost } from "./host.js";
import {
  type ClientIO,
  type ClientOptions,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
} from "./options.js";
import type { Settings } from "./settings.js";

/** How a client reaches the server: transport, host, TLS, or the embedded server. */
export interface Connection {
  fetch: LiteFetch;
  host?: string;
  embedded?: Embedded;
  baseUrl(op: OperationModel): string;
  /** Origin of the API, where discovery and relative token URLs are resolved. */
  origin(op?: OperationModel): string;
  close(): Promise<void>;
}

function readPem(io: ClientIO, path: string | undefined, what: string): string | undefined {
  if (!path) return undefined;
  try {
    return io.readFile(path);
  } catch (err) {
    throw new ConfigError(
      `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

function tlsOptions(s: Settings, io: ClientIO): TlsOptions {
  if (s.insecure) io.notice("warning: TLS certificate verification is off (--insecure)");
  const tls: TlsOptions = { insecure: s.insecure };
  const ca = readPem(io, s.caFile, "CA bundle");
  const cert = readPem(io, s.certFile, "client certificate");
  const key = readPem(io, s.keyFile, "client key");
  if (ca) tls.ca = ca;
  if (cert) tls.cert = cert;
  if (key) tls.key = key;
  if (Boolean(cert) !== Boolean(key))
    throw new ConfigError("a client certificate needs both --cert and --key");
  return tls;
}

function firstServer(model: ApiModel): string | undefined {
  return model.operations.find((o) => o.servers[0])?.servers[0];
}

/** Tracing innermost (each attempt is shown), retries around it. */
function wrap(f: LiteFetch, opts: ClientOptions, io: ClientIO): LiteFetch {
  let out = f;
  if (opts.trace === "debug") out = debugFetch(out, io.trace, io.now);
  else if (opts.trace === "verbose") out = verboseFetch(out, io.trace, io.now);
  return withRetries(
    out,
    { ...DEFAULT_RETRY, retries: opts.retries ?? DEFAULT_RETRY.retries },
    {
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      now: io.now,
      random: Math.random,
      ...(opts.trace ? { note: (line: string) => io.trace(`${line}\n`) } : {}),
    },
  );
}

export async function connect(
  model: ApiModel,
  bundled: boolean,
  settings: Settings,
  opts: ClientOptions,
  io: ClientIO,
): Promise<Connection> {
  const { host } = settings;
  // A chosen profile names a server: running against the demo store instead would be a lie.
  if (!host && settings.profile.profileName)
    throw new ConfigError(
      `profile "${settings.profile.profileName}" has no host: opcli config set --profile ${settings.profile.profileName} host URL (or --host)`,
    );
  if (!host && bundled) {
    const embedded = await openEmbedded(io.env, model.issuerPath);
    // Said once per store, when it is made; later calls use it quietly.
    if (embedded.created)
      io.notice(
        `no host configured; using the embedded reference server over a new local store (${embedded.dbPath}); --host or a profile points opcli at a real one`,
      );
    const base = (op?: OperationModel) => applyHost(op?.servers[0] ?? firstServer(model), EMBEDDED_ORIGIN);
    return {
      fetch: wrap(embedded.fetch, opts, io),
      embedded,
      baseUrl: base,
      origin: (op) => new URL(base(op)).origin,
      close: () => embedded.close(),
    };
  }
  const transport =
    io.transport ??
    nodeTransport({
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxResponseBytes: opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      tls: tlsOptions(settings, io),
    });
  const base = (op?: OperationModel) => applyHost(op?.servers[0] ?? firstServer(model), host);
  return {
    fetch: wrap(transport, opts, io),
    ...(host ? { host } : {}),
    baseUrl: base,
    origin: (op) => new URL(base(op)).origin,
    close: async () => {},
  };
}
