// The error types every layer of the client shares. Each says which kind of failure it is; the
// CLI maps kinds to exit codes in one place (src/cli/exit-codes.ts), the TUI to a status line.

/** Bad input: unknown operation, flag or argument, a body that does not match. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** --all got fewer items than the server reports and has no way to ask for the rest. */
export class IncompleteError extends Error {
  override name = "IncompleteError";
}

/** Unusable configuration: no host, unreadable spec, config file or keychain, a store that fails. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Authentication or authorisation failed (no credentials, token refused). */
export class AuthError extends Error {
  override name = "AuthError";
}

/** An answer that is not what it claims to be (a JSON media type over a body that does not parse). */
export class AnswerError extends Error {
  override name = "AnswerError";
}

/** A non-2xx answer from the API, summarised. */
export class HttpStatusError extends Error {
  override name = "HttpStatusError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
