import type { Context } from "hono";
import type { Transport } from "../core/sessions.js";

interface NodeEnv {
  incoming?: { socket?: { remoteAddress?: string; encrypted?: boolean } };
}

/** The socket's address: X-Forwarded-For is client-controlled, so it is never trusted here. */
export function remoteAddress(c: Context): string {
  return (c.env as NodeEnv | undefined)?.incoming?.socket?.remoteAddress ?? "unknown";
}

/** Whether the request came over TLS (from the socket, never from a header). */
export function transport(c: Context): Transport {
  return { secure: (c.env as NodeEnv | undefined)?.incoming?.socket?.encrypted === true };
}
