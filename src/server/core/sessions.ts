import { createHash, randomUUID } from "node:crypto";
import type { CapResult, SessionPage, SessionRecord, Store } from "../store/types.js";
import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import { fail, ok, type Result } from "./errors.js";
import { randomToken } from "./passwords.js";
import type { SessionState } from "./session-fields.js";
import { parseSessionSearch, type RawSessionSearch } from "./session-search.js";

export function cookieHash(cookie: string): string {
  return createHash("sha256").update(cookie).digest("base64url");
}

export interface CreatedSession {
  session: SessionRecord;
  /** The cookie value: shown once, stored only as a hash. */
  cookie: string;
}

/**
 * The session lifecycle (Janssen's: absolute lifetime from creation, idle lifetime by state)
 * and the admin operations on sessions. What counts as a use is decided here: a browser's
 * request with its cookie is a use; an admin reading a session is not.
 */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly config: ServerConfig,
    private readonly clock: Clock,
  ) {}

  private idleMs(state: SessionState): number {
    const s =
      state === "authenticated"
        ? this.config.sessionIdUnusedLifetime
        : this.config.sessionIdUnauthenticatedUnusedLifetime;
    return s * 1000;
  }

  expiresAt(state: SessionState, lastUsedAt: number, absoluteExpiresAt: number): number {
    return Math.min(absoluteExpiresAt, lastUsedAt + this.idleMs(state));
  }

  private cap() {
    return { max: this.config.maxSessionsPerUser, now: this.clock.now() };
  }

  /** Creates a session; "limit" when the user already has the maximum. */
  async create(
    state: SessionState,
    userDn: string | null,
    attributes: Record<string, string>,
  ): Promise<Result<CreatedSession>> {
    const now = this.clock.now();
    const cookie = randomToken();
    const absoluteExpiresAt = now + this.config.sessionIdLifetime * 1000;
    const session: SessionRecord = {
      sid: randomUUID(),
      cookieHash: cookieHash(cookie),
      userDn,
      state,
      createdAt: now,
      lastUsedAt: now,
      authTime: state === "authenticated" ? now : null,
      absoluteExpiresAt,
      expiresAt: this.expiresAt(state, now, absoluteExpiresAt),
      permissionGranted: false,
      attributes,
    };
    const result = await this.store.sessions.insert(session, this.cap());
    if (result === "limit") return this.capReached();
    return ok({ session, cookie });
  }

  private capReached<T>(): Result<T> {
    return fail("conflict", `user already has ${this.config.maxSessionsPerUser} sessions`);
  }

  /** Upgrades an unauthenticated session after a successful login. */
  async authenticate(
    session: SessionRecord,
    userDn: string,
    attributes: Record<string, string>,
  ): Promise<CapResult> {
    const now = this.clock.now();
    return this.store.sessions.authenticate(
      session.sid,
      {
        userDn,
        state: "authenticated",
        authTime: now,
        lastUsedAt: now,
        expiresAt: this.expiresAt("authenticated", now, session.absoluteExpiresAt),
        attributes: { ...session.attributes, ...attributes },
      },
      this.cap(),
    );
  }

  /** The live session behind a cookie, if any (not yet counted as a use). */
  async byCookie(cookie: string | undefined): Promise<SessionRecord | undefined> {
    if (!cookie) return undefined;
    return this.store.sessions.getLiveByCookie(cookieHash(cookie), this.clock.now());
  }

  /** Records a use (or an authentication attempt): moves lastUsedAt and the idle deadline. */
  async touch(session: SessionRecord): Promise<SessionRecord> {
    const now = this.clock.now();
    const expiresAt = this.expiresAt(session.state, now, session.absoluteExpiresAt);
    await this.store.sessions.touch(session.sid, now, expiresAt);
    return { ...session, lastUsedAt: now, expiresAt };
  }

  /** Ends the browser's own session (end_session). */
  async end(session: SessionRecord): Promise<boolean> {
    return this.store.sessions.deleteLive(session.sid, this.clock.now());
  }

  // Admin operations: reads never count as a use of the session.

  async search(raw: RawSessionSearch): Promise<Result<SessionPage & { start: number }>> {
    const parsed = parseSessionSearch(raw, this.config.maxSearchLimit);
    if (!parsed.ok) return parsed;
    const page = await this.store.sessions.search({ now: this.clock.now(), ...parsed.value });
    return ok({ ...page, start: parsed.value.offset });
  }

  async get(sid: string): Promise<Result<SessionRecord>> {
    const s = await this.store.sessions.getLive(sid, this.clock.now());
    return s ? ok(s) : fail("not_found", "no live session with that sid");
  }

  async delete(sid: string): Promise<Result<void>> {
    const gone = await this.store.sessions.deleteLive(sid, this.clock.now());
    return gone ? ok(undefined) : fail("not_found", "no live session with that sid");
  }

  /** Ends every live session of a user; not_found when there was none. */
  async revokeUser(userDn: string): Promise<Result<number>> {
    const n = await this.store.sessions.deleteLiveOfUser(userDn, this.clock.now());
    return n > 0 ? ok(n) : fail("not_found", `no live sessions for user ${userDn}`);
  }
}
