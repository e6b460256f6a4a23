import type { Result } from "../core/errors.js";

/** A bad command line: exit 2 with the usage. */
export class ServerUsageError extends Error {
  override name = "ServerUsageError";
}

/** Bad configuration, an unusable store, a port that cannot be bound: exit 3. */
export class ServerConfigError extends Error {
  override name = "ServerConfigError";
}

/** A command's value, or its refusal by the core (a user or client refused) as exit 3. */
export function valueOrRefusal<T>(r: Result<T>): T {
  if (!r.ok) throw new ServerConfigError(r.error.message);
  return r.value;
}
