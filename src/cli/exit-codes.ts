import { NetworkError } from "../http/network-error.js";
import {
  AnswerError,
  AuthError,
  ConfigError,
  HttpStatusError,
  IncompleteError,
  UsageError,
} from "../platform/errors.js";
import { RefError, SpecError } from "../spec/errors.js";

// The one place that maps failures to exit codes; every other module returns or throws typed
// errors and never calls process.exit.

export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  config: 3,
  auth: 4,
  http4xx: 5,
  http5xx: 6,
  network: 7,
  incomplete: 8,
  interrupted: 130,
} as const;

export const EXIT_CODE_TABLE = `Exit codes:
  0    success
  1    unexpected error
  2    usage: bad flags, unknown operation, bad arguments
  3    configuration: no host, unreadable spec or config, unusable keychain or token store
  4    authentication or authorisation: token refused, HTTP 401/403
  5    other HTTP 4xx
  6    HTTP 5xx, or an answer that is not what it claims (JSON that does not parse)
  7    network, timeout or TLS failure
  8    incomplete: --all got fewer items than the server reports and cannot page
  130  interrupted`;

export function exitForStatus(status: number): number {
  if (status === 401 || status === 403) return EXIT.auth;
  return status >= 500 ? EXIT.http5xx : EXIT.http4xx;
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return EXIT.usage;
  if (err instanceof ConfigError || err instanceof SpecError || err instanceof RefError) return EXIT.config;
  if (err instanceof AuthError) return EXIT.auth;
  if (err instanceof HttpStatusError) return exitForStatus(err.status);
  if (err instanceof NetworkError) return EXIT.network;
  if (err instanceof AnswerError) return EXIT.http5xx;
  if (err instanceof IncompleteError) return EXIT.incomplete;
  return EXIT.unexpected;
}

/** Worst first: what a batch exits with when lines failed differently. */
export const SEVERITY: readonly number[] = [
  EXIT.interrupted,
  EXIT.unexpected,
  EXIT.network,
  EXIT.incomplete,
  EXIT.http5xx,
  EXIT.auth,
  EXIT.http4xx,
  EXIT.config,
  EXIT.usage,
];
