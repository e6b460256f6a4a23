import { randomUUID } from "node:crypto";
import type { Store, UserRecord } from "../store/types.js";
import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import type { Logger } from "./log.js";
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./passwords.js";

export class UserError extends Error {
  override name = "UserError";
}

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;

export type AuthOutcome =
  | { ok: true; user: UserRecord }
  | { ok: false; status: 401; message: string }
  | { ok: false; status: 423; message: string; retryAfterSeconds: number };

/** Users: creation with scrypt hashes, and password checks under the lockout rules. */
export class UserService {
  constructor(
    private readonly store: Store,
    private readonly config: ServerConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async create(username: string, password: string): Promise<UserRecord> {
    if (!USERNAME.test(username)) throw new UserError(`invalid user name "${username}"`);
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new UserError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    if (await this.store.users.getByName(username)) throw new UserError(`user "${username}" already exists`);
    const user: UserRecord = {
      dn: `inum=${randomUUID()},ou=people,o=jans`,
      username,
      passwordHash: await hashPassword(password, this.config.passwordHashCost),
      failedLogins: 0,
      lockedUntil: 0,
    };
    await this.store.users.insert(user);
    return user;
  }

  getByName(username: string): Promise<UserRecord | undefined> {
    return this.store.users.getByName(username);
  }

  count(): Promise<number> {
    return this.store.users.count();
  }

  /** Checks a user's password with the lockout rules; shared by login and device approval. */
  async authenticate(username: string, password: string): Promise<AuthOutcome> {
    const { store, clock, config } = this;
    const now = clock.now();
    let user = await store.users.getByName(username);
    if (user && user.lockedUntil > 0 && user.lockedUntil <= now) {
      // A lock that has run out starts the count afresh.
      await store.users.resetFailures(user.dn);
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
        const after = await store.users.recordFailure(
          user.dn,
          config.lockoutThreshold,
          now + config.lockoutDuration * 1000,
        );
        if (after.lockedUntil > now) this.log.warn("account locked", { user: user.username });
      }
      return { ok: false, status: 401, message: "wrong user name or password" };
    }
    await store.users.resetFailures(user.dn);
    return { ok: true, user };
  }
}
