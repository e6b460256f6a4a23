import { randomBytes } from "node:crypto";
import type { Hono } from "hono";
import { writeFileAtomic } from "../../platform/atomic-write.js";
import type { ServerCore } from "../core/core.js";
import { KNOWN_SCOPES } from "../core/oauth/scopes.js";
import { valueOrRefusal } from "./errors.js";
import { adminCredentialsPath, demoUsersPath } from "./paths.js";
import { seedDemo } from "./seed.js";

/**
 * On a store with no clients, creates the admin client and writes its credentials (0600,
 * atomically) to the file that belongs to this store. Called once the server is listening, so a
 * start that fails leaves neither a client nor a file behind.
 */
export async function provisionAdminClient(core: ServerCore, dbPath: string): Promise<string | null> {
  if ((await core.clients.count()) > 0) return null;
  const path = adminCredentialsPath(dbPath);
  // Every scope, and a signed userinfo: what Janssen's CLI expects of its client too.
  const creds = valueOrRefusal(await core.clients.create("admin", KNOWN_SCOPES, { userinfoJwt: true }));
  writeFileAtomic(path, `${JSON.stringify(creds, null, 2)}\n`, 0o600);
  return path;
}

/** A password for demo users: random, never one written in the source. */
export function demoPassword(): string {
  return randomBytes(18).toString("base64url");
}

/** Demo users logged in for real, their password in a 0600 file beside the store. */
export async function seedWithPasswordFile(
  core: ServerCore,
  app: Hono,
  dbPath: string,
  opts: { users: number; sessionsPerUser: number; password?: string },
): Promise<{ sessions: number; file: string }> {
  const password = opts.password ?? demoPassword();
  const file = demoUsersPath(dbPath);
  try {
    const result = await seedDemo(core, app, {
      users: opts.users,
      sessionsPerUser: opts.sessionsPerUser,
      password,
    });
    return { sessions: result.sessions, file };
  } finally {
    // Written even when seeding fails part-way: the users it made keep a known password.
    const users = Array.from({ length: opts.users }, (_, i) => `demo-user-${String(i + 1).padStart(3, "0")}`);
    // A password the operator chose is not written down again; a generated one must be.
    const record = opts.password === undefined ? { password, users } : { users };
    writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`, 0o600);
  }
}
