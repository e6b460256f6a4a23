import type { ServerDeps } from "./deps.js";
import { dummyPasswordHash, verifyPassword } from "./passwords.js";
import type { UserRecord } from "./store/types.js";

export type AuthOutcome =
  | { ok: true; user: UserRecord }
  | { ok: false; status: 401; message: string }
  | { ok: false; status: 423; message: string; retryAfterSeconds: number };

/** Checks a user's password with the lockout rules; shared by login and device approval. */
export async function authenticateUser(
  deps: ServerDeps,
  username: string,
  password: string,
): Promise<AuthOutcome> {
  const { store, clock, config } = deps;
  const now = clock.now();
  let user = store.getUserByName(username);
  if (user && user.lockedUntil > 0 && user.lockedUntil <= now) {
    // A lock that has run out starts the count afresh.
    store.resetLoginFailures(user.dn);
    user = { ...user, failedLogins: 0, lockedUntil: 0 };
  }
  if (user && user.lockedUntil > now) {
    return {
      ok: false,
      status: 423,
      message: "account locked after too many failed logins",
      retryAfterSeconds: Math.ceil((user.lockedUntil - now) / 1000),
    };
  }
  const valid = await verifyPassword(
    password,
    user?.passwordHash ?? (await dummyPasswordHash(config.passwordHashCost)),
  );
  if (!user || !valid) {
    if (user) {
      const after = store.recordLoginFailure(
        user.dn,
        config.lockoutThreshold,
        now + config.lockoutDuration * 1000,
      );
      if (after.lockedUntil > now) deps.log.warn("account locked", { user: user.username });
    }
    return { ok: false, status: 401, message: "wrong user name or password" };
  }
  store.resetLoginFailures(user.dn);
  return { ok: true, user };
}
