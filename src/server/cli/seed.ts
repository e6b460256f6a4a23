import type { Hono } from "hono";
import type { ServerCore } from "../core/core.js";

export interface SeedOptions {
  users: number;
  sessionsPerUser: number;
  password: string;
  /** Prefix of demo user names: demo-user-001 ... */
  prefix?: string;
}

const AGENTS = [
  "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0",
];

/** Creates demo users and logs each in through the real login endpoint (scrypt, cap, cookies). */
export async function seedDemo(
  core: ServerCore,
  app: Hono,
  opts: SeedOptions,
): Promise<{ sessions: number }> {
  const prefix = opts.prefix ?? "demo-user";
  let sessions = 0;
  for (let u = 1; u <= opts.users; u++) {
    const username = `${prefix}-${String(u).padStart(3, "0")}`;
    if (!(await core.users.getByName(username))) await core.users.create(username, opts.password);
    const logins = Array.from({ length: opts.sessionsPerUser }, (_, i) =>
      app.request("/jans-auth/restv1/login", {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": AGENTS[(u + i) % AGENTS.length]! },
        body: JSON.stringify({ username, password: opts.password, client_id: "demo-portal" }),
      }),
    );
    for (const res of await Promise.all(logins)) if (res.status === 200) sessions++;
  }
  return { sessions };
}
