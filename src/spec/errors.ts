// Errors of document loading, in a module of their own so the CLI's error mapping does not pull
// the loader into start-up.

/** The document cannot be read, parsed or used. */
export class SpecError extends Error {
  override name = "SpecError";
}

/** A $ref that does not resolve. */
export class RefError extends Error {
  override name = "RefError";
}
