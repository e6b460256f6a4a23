import type { Context } from "hono";
import type { Transport } from "../core/sessions.js";

interface NodeEnv {
  incoming?: { url?: string; socket?: { remoteAddress?: string; encrypted?: boolean } };
  outgoing?: { setHeader(name: string, value: string): unknown };
}

/**
 * A header for whatever this request's answer turns out to be, set before the route runs; a
 * header the route sets itself wins. From a socket it goes on node's response (writeHead merges
 * it), so the adapter's plain-object response is never turned into WHATWG Headers or a stream.
 */
export function answerHeader(c: Context, name: string, value: string): void {
  const out = (c.env as NodeEnv | undefined)?.outgoing;
  if (out) out.setHeader(name, value);
  else c.header(name, value);
}

/**
 * The path as the client sent it, before URL parsing resolved dot segments (WHATWG URLs resolve
 * `%2e%2e` too); the parsed path when the request did not come from a socket.
 */
export function rawPath(c: Context): string {
  const target = (c.env as NodeEnv | undefined)?.incoming?.url;
  return (target ?? new URL(c.req.url).pathname).split("?")[0]!;
}

/** The socket's address: X-Forwarded-For is client-controlled, so it is never trusted here. */
export function remoteAddress(c: Context): string {
  return (c.env as NodeEnv | undefined)?.incoming?.socket?.remoteAddress ?? "unknown";
}

/** Whether the request came over TLS (from the socket, never from a header). */
export function transport(c: Context): Transport {
  return { secure: (c.env as NodeEnv | undefined)?.incoming?.socket?.encrypted === true };
}
