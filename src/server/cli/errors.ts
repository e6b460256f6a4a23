/** A bad command line: exit 2 with the usage. */
export class ServerUsageError extends Error {
  override name = "ServerUsageError";
}

/** Bad configuration, an unusable store, a port that cannot be bound: exit 3. */
export class ServerConfigError extends Error {
  override name = "ServerConfigError";
}
