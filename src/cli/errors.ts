import { NetworkError } from "../http/network-error.js";
import { RefError, SpecError } from "../spec/errors.js";

// The one place that maps failures to exit codes; every other module returns or throws the
// typed errors below and never calls process.exit.

export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  config: 3,
  auth: 4,
  http4xx: 5,
  http5xx: 6,
  network: 7,
  interrupted: 130,
} as const;

export const EXIT_CODE_TABLE = `Exit codes:
  0    success
  1    unexpected error
  2    usage: bad flags, unknown operation, bad arguments
  3    configuration: no host, unreadable spec or config
  4    authentication or authorisation: token refused, HTTP 401/403
  5    other HTTP 4xx
  6    HTTP 5xx
  7    network, timeout or TLS failure
  130  interrupted`;

export class UsageError extends Error {
  override name = "UsageError";
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export class AuthError extends Error {
  override name = "AuthError";
}

/** A non-2xx answer from the API; the body has already been printed or summarised. */
export class HttpStatusError extends Error {
  override name = "HttpStatusError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class InterruptedError extends Error {
  override name = "InterruptedError";
}

export function exitCodeFor(err: unknown): number {
  // A batch has already reported each failure; it carries the worst line's code.
  if (err instanceof Error && err.name === "BatchFailed") return (err as Error & { code: number }).code;
  if (err instanceof UsageError) return EXIT.usage;
  if (err instanceof ConfigError || err instanceof SpecError || err instanceof RefError) return EXIT.config;
  if (err instanceof AuthError) return EXIT.auth;
  if (err instanceof HttpStatusError) {
    if (err.status === 401 || err.status === 403) return EXIT.auth;
    return err.status >= 500 ? EXIT.http5xx : EXIT.http4xx;
  }
  if (err instanceof NetworkError) return EXIT.network;
  if (err instanceof InterruptedError) return EXIT.interrupted;
  return EXIT.unexpected;
}
