import type { Context } from "hono";
import type { ServerCore } from "../core/core.js";
import type { Actor } from "../core/events.js";
import { claimsOf } from "./middleware/bearer.js";
import { remoteAddress } from "./request-info.js";

/** Who is calling an admin API: an admin (a person's token) by name, else the client. */
export async function actorOf(core: ServerCore, c: Context): Promise<Actor> {
  const claims = claimsOf(c);
  if (!claims) return { type: "system" };
  const ip = remoteAddress(c);
  if (claims.subject !== claims.clientId) {
    const user = await core.users.getByDn(claims.subject);
    return { type: "admin", id: user?.username ?? claims.subject, ip };
  }
  return { type: "client", id: claims.clientId, ip };
}
