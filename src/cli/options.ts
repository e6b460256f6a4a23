import type { ClientOptions } from "../client/options.js";
import type { ParsedArgs } from "./parse.js";

/** Flags to client options: the only place the CLI's flag names meet the client. */
export function clientOptions(args: ParsedArgs): ClientOptions {
  const opts: ClientOptions = {};
  const str = (flag: string, key: keyof ClientOptions) => {
    const v = args.str(flag);
    if (v !== undefined) (opts as Record<string, unknown>)[key] = v;
  };
  str("spec", "spec");
  str("operation-id", "operationId");
  str("host", "host");
  str("profile", "profile");
  str("client-id", "clientId");
  str("client-secret", "clientSecret");
  str("access-token", "accessToken");
  str("token-url", "tokenUrl");
  str("cacert", "caFile");
  str("cert", "certFile");
  str("key", "keyFile");
  const overlays = args.list("overlay");
  if (overlays.length) opts.overlays = overlays;
  const scopes = args.str("scopes");
  if (scopes) opts.scopes = scopes.split(/[\s,]+/).filter(Boolean);
  if (args.bool("insecure")) opts.insecure = true;
  const timeout = args.int("timeout");
  if (timeout !== undefined) opts.timeoutMs = timeout * 1000;
  const maxMb = args.int("max-response-mb");
  if (maxMb !== undefined) opts.maxResponseBytes = maxMb * 1024 * 1024;
  const retries = args.int("retries");
  if (retries !== undefined) opts.retries = retries;
  if (args.bool("debug")) opts.trace = "debug";
  else if (args.bool("verbose")) opts.trace = "verbose";
  return opts;
}
