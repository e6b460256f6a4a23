import type { StoreSetting } from "../auth/stores/select.js";
import type { LiteFetch } from "../http/lite.js";

/**
 * How to reach and authenticate to an API: what the user chose (flags in the CLI, a form in
 * the TUI). Anything left out comes from the environment (OPCLI_*), then the config file's
 * profile, then the defaults.
 */
export interface ClientOptions {
  /** The operation the caller will run: checked against the document before anything connects. */
  operationId?: string;
  /** OpenAPI document, path or URL; the bundled one when unset. */
  spec?: string;
  /** Overlay files applied to that document, in order (`x-opcli-*` hints for any API). */
  overlays?: string[];
  host?: string;
  /** A profile chosen explicitly (a flag). */
  profile?: string;
  clientId?: string;
  clientSecret?: string;
  /** A token to use as it is: the value, or @file. */
  accessToken?: string;
  tokenUrl?: string;
  /** Scopes for tokens not tied to one operation (auth login, --output-access-token). */
  scopes?: string[];
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecure?: boolean;
  /** Per-request timeout, milliseconds: connecting, sending and the whole answer. */
  timeoutMs?: number;
  /** Answers larger than this are refused (default DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** Retries of idempotent requests on transient failures. */
  retries?: number;
  tokenStore?: StoreSetting;
  /** Request tracing: one line per request, or full (credentials redacted). */
  trace?: "verbose" | "debug";
}

/** Everything the client touches outside itself, injected so tests never patch globals. */
export interface ClientIO {
  env: Record<string, string | undefined>;
  readFile(path: string): string;
  readBytes(path: string): Uint8Array;
  now(): number;
  /** One-line notices for the person (stderr in the CLI, the status line in the TUI). */
  notice(line: string): void;
  /** Where -v / --debug traces go. */
  trace(text: string): void;
  /** Whether a person can answer at a terminal (device sign-in is allowed then). */
  interactive: boolean;
  /** Network transport (node:http by default). */
  transport?: LiteFetch;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
/** Larger than any answer of a real administration API; a hostile one cannot fill memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 100 * 1024 * 1024;
