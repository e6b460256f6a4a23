/** A network-level failure (refused, reset, DNS, TLS, timeout): exit code 7 territory. */
export class NetworkError extends Error {
  override name = "NetworkError";
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}
