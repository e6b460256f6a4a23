import { createHash, randomUUID } from "node:crypto";
import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import { randomToken } from "./passwords.js";
import type { SessionState } from "./session-fields.js";
import type { CapResult, SessionRecord, Store } from "./store/types.js";

export function cookieHash(cookie: string): string {
  return createHash("sha256").update(cookie).digest("base64url");
}

/** The Janssen lifecycle: absolute lifetime from creation, idle lifetime by state. */
export class SessionLifecycle {
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

  /** Creates a session; returns its record and the cookie value (shown once, stored hashed). */
  create(
    state: SessionState,
    userDn: string | null,
    attributes: Record<string, string>,
  ): { result: CapResult; session?: SessionRecord; cookie?: string } {
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
    const result = this.store.insertSession(session, this.cap());
    return result === "ok" ? { result, session, cookie } : { result };
  }

  /** Upgrades an unauthenticated session after a successful login. */
  authenticate(session: SessionRecord, userDn: string, attributes: Record<string, string>): CapResult {
    const now = this.clock.now();
    return this.store.authenticateSession(
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

  /** The live session behind a cookie, if any. */
  byCookie(cookie: string | undefined): SessionRecord | undefined {
    if (!cookie) return undefined;
    return this.store.getLiveSessionByCookie(cookieHash(cookie), this.clock.now());
  }

  /** Records a use (or an authentication attempt): moves lastUsedAt and the idle deadline. */
  touch(session: SessionRecord): SessionRecord {
    const now = this.clock.now();
    const expiresAt = this.expiresAt(session.state, now, session.absoluteExpiresAt);
    this.store.updateSessionUse(session.sid, now, expiresAt);
    return { ...session, lastUsedAt: now, expiresAt };
  }
}
