import type { ServerCore } from "../../core/core.js";
import type { Actor } from "../../core/events.js";
import { remoteAddress } from "../request-info.js";
import type { FaceContext } from "./env.js";

/**
 * Who is calling, for the audit, from the verified token: an admin (a person's token) by name,
 * else the client; the system when no token was checked.
 */
export async function actorOf(core: ServerCore, c: FaceContext): Promise<Actor> {
  const claims = c.get("claims");
  if (!claims) return { type: "system" };
  const ip = remoteAddress(c);
  if (claims.subject === claims.clientId) return { type: "client", id: claims.clientId, ip };
  const user = await core.users.getByDn(claims.subject);
  return { type: "admin", id: user?.username ?? claims.subject, ip };
}

/** A person already known by name (a console admin, a signed-in user), from this request's address. */
export function personActor(c: FaceContext, type: "admin" | "user", id: string): Actor {
  return { type, id, ip: remoteAddress(c) };
}

/** A client that authenticated with its own secret (no token, so no claims). */
export function clientActor(clientId: string): Actor {
  return { type: "client", id: clientId };
}
