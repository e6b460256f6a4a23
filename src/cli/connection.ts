import { debugFetch } from "../http/debug.js";
import type { LiteFetch } from "../http/lite.js";
import { nodeTransport, type TlsOptions } from "../http/transport.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import type { Profile } from "./config-file.js";
import { EMBEDDED_ORIGIN, type Embedded, openEmbedded } from "./embedded.js";
import { ConfigError } from "./errors.js";
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
  const wrap = (f: LiteFetch) => (flags.debug ? debugFetch(f, (s) => io.stderr.write(s), io.now) : f);
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
