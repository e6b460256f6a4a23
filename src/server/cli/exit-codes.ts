import { ConfigError } from "../core/config.js";
import { StoreUnavailable } from "../store/types.js";
import { ServerConfigError, ServerUsageError } from "./errors.js";
import { SeedError } from "./seed.js";

// The one place that maps opcli-server's failures to exit codes, as src/cli/exit-codes.ts does
// for opcli; commands return SERVER_EXIT.ok or throw typed errors.

export const SERVER_EXIT = {
  ok: 0,
  /** An unexpected error, or a seed that made fewer sessions than asked. */
  failed: 1,
  usage: 2,
  config: 3,
} as const;

/** The summary printed at the end of `opcli-server --help`. */
export const EXIT_CODES =
  "Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 configuration (store, port, files).";

export type ServerExit = (typeof SERVER_EXIT)[keyof typeof SERVER_EXIT];

/** A failure's exit code and whether it is expected (one line) or not (a bug: a stack on OPCLI_DEBUG). */
export function serverExitFor(err: unknown): { code: ServerExit; expected: boolean } {
  const e = err as Error & { code?: string };
  if (err instanceof ServerUsageError || e.code?.startsWith("ERR_PARSE_ARGS"))
    return { code: SERVER_EXIT.usage, expected: true };
  if (err instanceof ServerConfigError || err instanceof StoreUnavailable || err instanceof ConfigError)
    return { code: SERVER_EXIT.config, expected: true };
  if (err instanceof SeedError) return { code: SERVER_EXIT.failed, expected: true };
  return { code: SERVER_EXIT.failed, expected: false };
}
