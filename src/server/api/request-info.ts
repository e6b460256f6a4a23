import type { Context } from "hono";
import type { Transport } from "../core/sessions.js";

interface NodeEnv {
  incoming?: { url?: string; socket?: { remoteAddress?: string; encrypted?: boolean } };
  outgoing?: NodeResponse;
}

/** What of node's ServerResponse the server writes to directly. */
export interface NodeResponse {
  setHeader(name: string, value: string): unknown;
}

/** node's response, when the request came from a socket (the node adapter passes it in env). */
export function nodeResponse(c: Context): NodeResponse | undefined {
  return (c.env as NodeEnv | undefined)?.outgoing;
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
