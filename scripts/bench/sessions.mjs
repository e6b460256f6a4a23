// Sessions for benchmarks at scale: spread over the last 0.9 day, live for a day, n/20 users,
// 20 clients, the store's own records (written with insertMany, as a migration would).
import { randomUUID } from "node:crypto";
import { cookieHash } from "../../dist/server-lib.js";

const DAY = 86_400_000;

/** How many users n sessions belong to. */
export const usersFor = (n) => Math.max(10, Math.floor(n / 20));

/** The i-th of n sessions, as of `now`. */
export function benchSession(i, now, n) {
  const u = i % usersFor(n);
  const created = now - Math.floor((((i * 7919) % n) / n) * DAY * 0.9);
  const expires = created + DAY;
  const sid = randomUUID();
  return {
    id: randomUUID(),
    sid,
    cookieHash: cookieHash(`c${i}`),
    userDn: `inum=${String(u).padStart(8, "0")}-user,ou=people,o=jans`,
    state: "authenticated",
    createdAt: created,
    lastUsedAt: created,
    authTime: created,
    absoluteExpiresAt: expires,
    expiresAt: expires,
    permissionGranted: i % 3 === 0,
    attributes: {
      auth_user: `user${String(u).padStart(6, "0")}`,
      client_id: `client-${i % 20}`,
      acr: i % 2 ? "simple_password_auth" : "otp",
      remote_ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      user_agent: ["Firefox/128.0", "Safari/605.1.15", "Chrome/126.0"][i % 3],
    },
    secure: false,
    grants: {},
    handle: `shandle:${sid}`,
    realm: "/",
    properties: {},
  };
}

/** Writes n sessions in batches; `keep(rec)` sees each (to sample sids); returns the seconds it took. */
export async function fillSessions(store, n, now, keep = () => {}) {
  const t0 = performance.now();
  const BATCH = 10_000;
  for (let done = 0; done < n; done += BATCH) {
    const recs = [];
    for (let i = done; i < Math.min(n, done + BATCH); i++) recs.push(benchSession(i, now, n));
    for (const r of recs) keep(r);
    await store.sessions.insertMany(recs);
    if (done % 1_000_000 === 0 && done > 0)
      console.log(`  ${done.toLocaleString()} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  return (performance.now() - t0) / 1000;
}
