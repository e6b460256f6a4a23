import { randomUUID } from "node:crypto";
import type { ServerConfig } from "./config.js";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./passwords.js";
import type { Store, UserRecord } from "./store/types.js";

export class UserError extends Error {
  override name = "UserError";
}

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;

/** Creates a user with an scrypt password hash and a Janssen-style DN. */
export async function createUser(
  store: Store,
  config: ServerConfig,
  username: string,
  password: string,
): Promise<UserRecord> {
  if (!USERNAME.test(username)) throw new UserError(`invalid user name "${username}"`);
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new UserError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (store.getUserByName(username)) throw new UserError(`user "${username}" already exists`);
  const user: UserRecord = {
    dn: `inum=${randomUUID()},ou=people,o=jans`,
    username,
    passwordHash: await hashPassword(password, config.passwordHashCost),
    failedLogins: 0,
    lockedUntil: 0,
  };
  store.insertUser(user);
  return user;
}
