import { randomUUID } from "node:crypto";
import { dnOfUserId } from "../store/query.js";
import type { LockoutPolicy, Store, UserAttribute, UserRecord } from "../store/types.js";
import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import { type CoreError, fail, ok, type Result } from "./errors.js";
import type { Actor, SessionEvents } from "./events.js";
import type { Logger } from "./log.js";
import { canonicalRole, KNOWN_ROLES } from "./oauth/scopes.js";
import { dummyPasswordHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./passwords.js";
import { RateLimiter } from "./rate-limit.js";
import { ROOT_REALM } from "./realms.js";
import type { SessionService } from "./sessions.js";

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;
/** Reservations older than this are taken for a crashed evaluator and forgotten. */
const PENDING_TTL_MS = 30_000;

export const WRONG_CREDENTIALS = "wrong user name or password";

/** Why a sign-in was refused: a wrong name or password, a locked name, too many attempts (with retryAfter). */
export type LoginRefusal = CoreError & { kind: "unauthorized" | "locked" | "too_many" };

export type AuthOutcome = { ok: true; value: UserRecord } | { ok: false; error: LoginRefusal };

const refused = (kind: LoginRefusal["kind"], message: string, retryAfter?: number): AuthOutcome => ({
  ok: false,
  error: { kind, message, ...(retryAfter !== undefined ? { retryAfter } : {}) },
});

/** Users: creation with scrypt hashes, password checks under the lockout rules, disabling. */
export class UserService {
  private readonly perAddress: RateLimiter;

  constructor(
    private readonly store: Store,
    private readonly config: ServerConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly sessions: SessionService,
    private readonly events: SessionEvents,
    /** Counts each password evaluated (for /health and the lockout tests). */
    private readonly evaluated: () => void = () => {},
  ) {
    this.perAddress = new RateLimiter(config.loginAttemptsPerAddressPerMinute);
  }

  async create(
    username: string,
    password: string,
    opts: { roles?: string[]; email?: string; realm?: string } = {},
  ): Promise<Result<UserRecord>> {
    const realm = opts.realm ?? ROOT_REALM;
    if (!Object.hasOwn(this.config.realms, realm))
      return fail(
        "invalid",
        `unknown realm "${realm}" (configured: ${Object.keys(this.config.realms).join(", ")})`,
      );
    if (!USERNAME.test(username)) return fail("invalid", `invalid user name "${username}"`);
    const weak = passwordProblem(password);
    if (weak) return fail("invalid", weak);
    const roles = opts.roles ?? [];
    const unknown = roles.filter((r) => canonicalRole(r) === undefined);
    if (unknown.length)
      return fail("invalid", `unknown role "${unknown[0]}" (one of ${KNOWN_ROLES.join(", ")})`);
    if (opts.email !== undefined && !EMAIL.test(opts.email))
      return fail("invalid", `invalid email "${opts.email}"`);
    if (await this.store.users.getByName(username))
      return fail("conflict", `user "${username}" already exists`);
    if (opts.email && (await this.store.users.findBy("mail", opts.email)))
      return fail("conflict", "that email is taken");
    const user: UserRecord = {
      dn: dnOfUserId(randomUUID()),
      username,
      passwordHash: await hashPassword(password, this.config.passwordHashCost),
      disabled: false,
      passwordChangedAt: this.clock.now(),
      roles,
      email: opts.email ?? null,
      realm,
    };
    await this.store.users.insert(user);
    return ok(user);
  }

  getByName(username: string): Promise<UserRecord | undefined> {
    return this.store.users.getByName(username);
  }

  getByDn(dn: string): Promise<UserRecord | undefined> {
    return this.store.users.getByDn(dn);
  }

  findBy(attribute: UserAttribute, value: string): Promise<UserRecord | undefined> {
    return this.store.users.findBy(attribute, value);
  }

  count(): Promise<number> {
    return this.store.users.count();
  }

  private policy(now: number): LockoutPolicy {
    return {
      threshold: this.config.lockoutThreshold,
      lockUntil: now + this.config.lockoutDuration * 1000,
      pendingTtlMs: PENDING_TTL_MS,
    };
  }

  /**
   * Checks a password under the lockout rules; shared by every login path. The attempt is reserved
   * in the store before the password is evaluated, so at most the threshold of guesses is ever
   * evaluated per window whatever the parallelism; unknown and disabled names take the same path
   * (a dummy hash is evaluated) and get the same answers.
   */
  async authenticate(username: string, password: string, address = "unknown"): Promise<AuthOutcome> {
    const now = this.clock.now();
    const limited = this.perAddress.take(address, now);
    if (!limited.ok) return refused("too_many", "too many login attempts", limited.retryAfter);
    const reserved = await this.store.loginAttempts.reserve(username, now, this.policy(now));
    if (!reserved.ok) {
      // Not evaluated: as many attempts as the threshold are already being checked for this name.
      if (reserved.reason === "busy")
        return refused("too_many", "too many sign-ins at once for this user", 1);
      return this.lockedOutcome(reserved.lockedUntil, now);
    }
    const user = await this.store.users.getByName(username);
    const usable = user !== undefined && !user.disabled;
    const hash = usable ? user.passwordHash : await dummyPasswordHash(this.config.passwordHashCost);
    this.evaluated();
    const success = (await verifyPassword(password, hash)) && usable;
    const after = this.clock.now();
    const settled = await this.store.loginAttempts.settle(username, success, after, this.policy(after));
    if (success && settled === "ok") return { ok: true, value: user };
    if (!success) {
      // The audit: who tried, from where (the user's own name as the actor; it may not exist).
      const who = { userDn: user?.dn ?? null, username };
      const actor = { type: "user" as const, id: username, ip: address };
      await this.events.emitAccount("login_failed", who, actor);
      if (settled === "locked") {
        this.log.warn("login locked after failures", {});
        await this.events.emitAccount("locked", who, { type: "system", ip: address }, { reason: "failures" });
      }
    }
    if (success) {
      // A correct password while locked gets the locked answer, as a wrong one would.
      const state = await this.store.loginAttempts.state(username, after);
      return this.lockedOutcome(state.lockedUntil, after);
    }
    return refused("unauthorized", WRONG_CREDENTIALS);
  }

  private lockedOutcome(lockedUntil: number, now: number): AuthOutcome {
    const seconds = Math.max(1, Math.ceil((lockedUntil - now) / 1000));
    return refused("locked", "too many failed logins; try again later", seconds);
  }

  /** Lifts a lock (admin). */
  unlock(username: string): Promise<void> {
    return this.store.loginAttempts.unlock(username);
  }

  /** Locks a name for lockoutDuration (admin), as failures would. */
  async lock(user: UserRecord, actor: Actor): Promise<number> {
    const until = this.clock.now() + this.config.lockoutDuration * 1000;
    await this.store.loginAttempts.lock(user.username, until, this.clock.now());
    await this.events.emitAccount("locked", { userDn: user.dn, username: user.username }, actor, {
      reason: "admin",
    });
    return until;
  }

  /** Until when a name is locked (0: it is not). */
  async lockedUntil(username: string): Promise<number> {
    return (await this.store.loginAttempts.state(username, this.clock.now())).lockedUntil;
  }

  /**
   * Disables (or enables) a user: a disabled user cannot sign in, and every session, refresh
   * token and access token of theirs ends now (ASVS 7.4.2).
   */
  async setDisabled(dn: string, disabled: boolean, actor: Actor): Promise<boolean> {
    if (!(await this.store.users.setDisabled(dn, disabled))) return false;
    if (disabled) {
      await this.store.deviceCodes.denyApprovedBy(dn);
      await this.endEverything(dn, actor);
    }
    return true;
  }

  /** Every session and token of the user, ended (sessions other than keepSid); returns how many sessions. */
  async endEverything(dn: string, actor: Actor, keepSid?: string): Promise<number> {
    const ended = await this.sessions.revokeUser(dn, actor, keepSid);
    await this.store.refreshTokens.deleteBySubject(dn);
    await this.store.revocations.revokeSubject(dn, this.clock.now());
    return ended.ok ? ended.value.length : 0;
  }

  /**
   * Sets a new password. The user's other sessions and their tokens end (ASVS 7.4.3); the session
   * that made the change (keepSid) stays.
   */
  async setPassword(dn: string, password: string, actor: Actor, keepSid?: string): Promise<Result<number>> {
    const weak = passwordProblem(password);
    if (weak) return fail("invalid", weak);
    const hash = await hashPassword(password, this.config.passwordHashCost);
    if (!(await this.store.users.setPassword(dn, hash, this.clock.now())))
      return fail("not_found", "no such user");
    await this.sessions.credentialChanged(dn, actor);
    return ok(await this.endEverything(dn, actor, keepSid));
  }
}

/** Why a new password is refused, if it is. */
function passwordProblem(password: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(password)) return "password must not contain control characters";
  return undefined;
}
