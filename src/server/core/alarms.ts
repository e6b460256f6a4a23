import type { Store } from "../store/types.js";
import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";

/**
 * The IP-spread alarm: a user whose live sessions, or sign-ins within ipSpreadWindow, come from
 * ipSpreadThreshold or more distinct addresses. Raised once (the store keeps one open alarm per
 * user, across instances) until an admin acknowledges it.
 */
export async function checkIpSpread(
  store: Store,
  clock: Clock,
  config: ServerConfig,
  user: { userDn: string; username: string | null },
): Promise<number | undefined> {
  if (config.ipSpreadThreshold <= 0) return undefined;
  const now = clock.now();
  const [live] = await store.sessions.liveByUsers([user.userDn], now);
  const logins = await store.events.list({
    types: ["authenticated"],
    userDn: user.userDn,
    since: now - config.ipSpreadWindow * 1000,
    limit: 500,
    offset: 0,
  });
  const addresses = new Set(live?.addresses ?? []);
  for (const e of logins.entries) if (e.remoteIp) addresses.add(e.remoteIp);
  if (addresses.size < config.ipSpreadThreshold) return undefined;
  return store.alarms.raise({
    kind: "ip_spread",
    userDn: user.userDn,
    username: user.username,
    raisedAt: now,
    detail: { addresses: [...addresses].sort().join(" "), count: String(addresses.size) },
  });
}
