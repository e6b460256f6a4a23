import { debugFetch } from "../http/debug.js";
import type { LiteFetch } from "../http/lite.js";
import { DEFAULT_RETRY, withRetries } from "../http/retry.js";
import { nodeTransport, type TlsOptions } from "../http/transport.js";
import { verboseFetch } from "../http/verbose.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import type { Profile } from "./config-file.js";
import { EMBEDDED_ORIGIN, type Embedded, openEmbedded } from "./embedded.js";
import { ConfigError, UsageError } from "./errors.js";
import type { ParsedFlags } from "./flags.js";
import { applyHost } from "./host.js";
import type { CliIO } from "./io.js";

/** How this invocation reaches the server: transport, host, TLS, or the embedded server. */
export interface Connection {
  fetch: LiteFetch;
  host?: string;
  embedded?: Embedded;
  baseUrl(op: OperationModel): string;
  /** Origin of the API, where discovery and relative token URLs are resolved. */
  origin(op?: OperationModel): string;
  close(): void;
}

function readPem(io: CliIO, path: string | undefined, what: string): string | undefined {
  if (!path) return undefined;
  try {
    return io.readFile(path);
  } catch (err) {
    throw new ConfigError(
      `cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

function tlsOptions(flags: ParsedFlags, io: CliIO, profile: Profile): TlsOptions {
  const insecure = Boolean(flags.insecure) || profile.insecure === true;
  if (insecure) io.stderr.write("opcli: warning: TLS certificate verification is off (--insecure)\n");
  const tls: TlsOptions = { insecure };
  const ca = readPem(io, (flags.cacert as string | undefined) ?? profile.caFile, "CA bundle");
  const cert = readPem(io, (flags.cert as string | undefined) ?? profile.certFile, "client certificate");
  const key = readPem(io, (flags.key as string | undefined) ?? profile.keyFile, "client key");
  if (ca) tls.ca = ca;
  if (cert) tls.cert = cert;
  if (key) tls.key = key;
  if (Boolean(cert) !== Boolean(key))
    throw new ConfigError("a client certificate needs both --cert and --key");
  return tls;
}

function intFlag(flags: ParsedFlags, name: string, fallback: number, min: number): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(String(raw)) || Number(raw) < min)
    throw new UsageError(`--${name} must be an integer of at least ${min}, not "${raw}"`);
  return Number(raw);
}

function firstServer(model: ApiModel): string | undefined {
  return model.operations.find((o) => o.servers[0])?.servers[0];
}

export async function connect(
  model: ApiModel,
  bundled: boolean,
  flags: ParsedFlags,
  io: CliIO,
  profile: Profile,
): Promise<Connection> {
  const host = (flags.host as string | undefined) || io.env.OPCLI_HOST || profile.host;
  const retries = intFlag(flags, "retries", DEFAULT_RETRY.retries, 0);
  const _timeoutMs = intFlag(flags, "timeout", 60, 1) * 1000;
  const note = (line: string) => io.stderr.write(`opcli: ${line}\n`);
  // Innermost first: each attempt is shown by --debug / -v, and retries wrap the attempts.
  const wrap = (f: LiteFetch) => {
    let out = f;
    if (flags.debug) out = debugFetch(out, (s) => io.stderr.write(s), io.now);
    else if (flags.verbose) out = verboseFetch(out, (s) => io.stderr.write(s), io.now);
    return withRetries(
      out,
      { ...DEFAULT_RETRY, retries },
      {
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        now: io.now,
        random: Math.random,
        ...(flags.debug || flags.verbose ? { note } : {}),
      },
    );
  };
  if (!host && bundled) {
    const embedded = await openEmbedded(io.env);
    io.stderr.write(
      `opcli: no host configured; using the embedded reference server (store ${embedded.dbPath})\n`,
    );
    const base = (op?: OperationModel) => applyHost(op?.servers[0] ?? firstServer(model), EMBEDDED_ORIGIN);
    return {
      fetch: wrap(embedded.fetch),
      embedded,
      baseUrl: base,
      origin: (op) => new URL(base(op)).origin,
      close: () => embedded.close(),
    };
  }
  const fetch = wrap(
    io.transport ?? nodeTransport({ timeoutMs: 60_000, tls: tlsOptions(flags, io, profile) }),
  );
  const base = (op?: OperationModel) => applyHost(op?.servers[0] ?? firstServer(model), host);
  return {
    fetch,
    ...(host ? { host } : {}),
    baseUrl: base,
    origin: (op) => new URL(base(op)).origin,
    close: () => {},
  };
}
