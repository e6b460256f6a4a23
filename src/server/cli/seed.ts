import type { Hono } from "hono";
import { RESTV1 } from "../api/kit/mounts.js";
import type { ServerCore } from "../core/core.js";
import { valueOrRefusal } from "./errors.js";

export interface SeedOptions {
  users: number;
  sessionsPerUser: number;
  password: string;
  /** Prefix of demo user names: demo-user-001 ... */
  prefix?: string;
}

const AGENTS = [
  "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
  "curl/8.8.0",
];

/** Demo relying parties: a session starts at one of them (its client in the lists and filters). */
const CLIENTS = ["demo-portal", "demo-mobile-app", "demo-admin-tools"] as const;

/** The demo clients, registered once under fixed ids (public, openid only: they grant nothing). */
async function demoClients(core: ServerCore): Promise<readonly string[]> {
  for (const id of CLIENTS)
    if (!(await core.clients.exists(id)))
      valueOrRefusal(await core.clients.create(id, ["openid"], { type: "public", clientId: id }));
  return CLIENTS;
}

/** Raised when the store does not end up with what was asked. */
export class SeedError extends Error {
  override name = "SeedError";
}

/**
 * The address a demo session comes from (documentation ranges, RFC 5737): most users sign in
 * from one or two places; every seventh from a new place each time, so the IP-spread alarm has
 * something to show.
 */
export function seedAddress(user: number, session: number): string {
  const spread = user % 7 === 0;
  const host = spread ? ((user * 31 + session * 17) % 250) + 1 : ((user * 13 + (session % 2)) % 250) + 1;
  const net = ["192.0.2", "198.51.100", "203.0.113"][(user + (spread ? session : 0)) % 3]!;
  return `${net}.${host}`;
}

/**
 * Creates demo users and logs each in through the real login endpoint (scrypt, cap, cookies), from
 * varied addresses and user agents; fails unless every asked-for session was made.
 */
export async function seedDemo(
  core: ServerCore,
  app: Hono,
  opts: SeedOptions,
): Promise<{ sessions: number }> {
  const prefix = opts.prefix ?? "demo-user";
  const clients = await demoClients(core);
  let sessions = 0;
  let failure: string | undefined;
  for (let u = 1; u <= opts.users; u++) {
    const username = `${prefix}-${String(u).padStart(3, "0")}`;
    if (!(await core.users.getByName(username)))
      valueOrRefusal(await core.users.create(username, opts.password));
    const logins = Array.from({ length: opts.sessionsPerUser }, async (_, i) => {
      const headers = { "user-agent": AGENTS[(u * 5 + i) % AGENTS.length]! };
      // The socket's address, as a listener would give it: each sign-in from its own place.
      const env = { incoming: { socket: { remoteAddress: seedAddress(u, i) } } };
      // As a browser does: a client starts the session, then the person signs in on it.
      const client = clients[(u + i) % clients.length]!;
      const started = await app.request(`${RESTV1}/authorize?client_id=${client}`, { headers }, env);
      const cookie = /session_id=[^;]+/.exec(started.headers.get("set-cookie") ?? "")?.[0];
      return app.request(
        `${RESTV1}/login`,
        {
          method: "POST",
          headers: { ...headers, "content-type": "application/json", ...(cookie ? { cookie } : {}) },
          body: JSON.stringify({ username, password: opts.password }),
        },
        env,
      );
    });
    for (const res of await Promise.all(logins)) {
      if (res.status === 200) sessions++;
      else failure ??= `${username}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`;
    }
  }
  const asked = opts.users * opts.sessionsPerUser;
  if (sessions < asked) throw new SeedError(`seed made ${sessions} of ${asked} sessions (${failure})`);
  return { sessions };
}
