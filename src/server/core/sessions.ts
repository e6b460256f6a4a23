import { createHash, randomUUID } from "node:crypto";
import type {
  CapResult,
  EndTarget,
  OutboxRecord,
  SessionCap,
  SessionPage,
  SessionRecord,
  Store,
} from "../store/types.js";
import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import { fail, ok, type Result } from "./errors.js";
import type { Actor, SessionEvents } from "./events.js";
import { randomToken } from "./passwords.js";
import { ROOT_REALM } from "./realms.js";
import type { SessionState } from "./session-fields.js";
import { parseSessionSearch, type RawSessionSearch } from "./session-search.js";
import {
  type EndCause,
  fanout,
  loadRelying,
  mayOwe,
  passwordChangeIntents,
  type Relying,
} from "./signals/intents.js";

/** Far enough: sessionIdLifetime -1 means no absolute limit. */
export const FOREVER = 8_640_000_000_000_000;

export function cookieHash(cookie: string): string {
  return createHash("sha256").update(cookie).digest("base64url");
}

export interface CreatedSession {
  session: SessionRecord;
  /** The cookie value: shown once, stored only as a hash (256 bits from the CSPRNG). */
  cookie: string;
}

/** The user a session is for: their DN and realm. */
export interface SessionUser {
  dn: string;
  realm: string;
}

/** How the request that touches a session arrived. */
export interface Transport {
  /** Over TLS. */
  secure: boolean;
}

/** How a session came to end: by its user, or revoked by someone else. */
export type EndKind = "ended" | "revoked";

/**
 * The session lifecycle (Janssen's: absolute lifetime from creation, idle lifetime by state)
 * and the operations that end sessions. What counts as a use is decided here: a browser's request
 * with its cookie is a use; an admin reading a session is not. However a session ends (its user,
 * an admin, a revocation endpoint, a disabled account), it ends in one place: the tokens bound to
 * it are revoked there and the event recorded.
 */
export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly config: ServerConfig,
    private readonly clock: Clock,
    private readonly events: SessionEvents,
    /** Counts each use written to the store (idle resets), for /health. */
    private readonly recordWrite: () => void = () => {},
  ) {}

  /** The issuer named in security events (set once the token service knows it). */
  issuer: () => string = () => "";
  /** Called after an ending wrote deliveries to the outbox (the dispatcher sends them soon). */
  outboxWritten: () => void = () => {};

  /** Who may be told about an ending: read before the ending's transaction, which writes what they are owed. */
  relying(): Promise<Relying> {
    return loadRelying(this.store, this.issuer());
  }

  /** A user's password changed: CAEP credential-change to every stream that asked about them. */
  async credentialChanged(userDn: string, actor: Actor): Promise<void> {
    const rows = passwordChangeIntents(await this.relying(), userDn, actor, this.clock.now());
    if (rows.length === 0) return;
    await this.store.outbox.add(rows);
    this.outboxWritten();
  }

  /**
   * The outbox callback of an ending: when the ended sessions may owe anyone a delivery, one small
   * fanout row (the dispatcher expands it), so the ending's transaction stays as cheap as before.
   */
  private intents(r: Relying, cause: EndCause, actor: Actor, wrote: { any: boolean }) {
    return (ended: SessionRecord[]): OutboxRecord[] => {
      if (!mayOwe(r, ended)) return [];
      wrote.any = true;
      return [fanout(ended, cause, actor, this.clock.now())];
    };
  }

  /** The idle lifetime of a session in this state, ms. */
  idleMs(state: SessionState): number {
    const s =
      state === "authenticated"
        ? this.config.sessionIdUnusedLifetime
        : this.config.sessionIdUnauthenticatedUnusedLifetime;
    return s * 1000;
  }

  expiresAt(state: SessionState, lastUsedAt: number, absoluteExpiresAt: number): number {
    return Math.min(absoluteExpiresAt, lastUsedAt + this.idleMs(state));
  }

  private cap(): SessionCap {
    const c = this.config;
    return {
      max: c.maxSessionsPerUser,
      now: this.clock.now(),
      anonymousPerAddress: c.maxUnauthenticatedSessionsPerAddress,
      anonymousTotal: c.maxUnauthenticatedSessions,
    };
  }

  private record(
    state: SessionState,
    user: SessionUser | null,
    attributes: Record<string, string>,
    t: Transport,
  ) {
    const now = this.clock.now();
    const cookie = randomToken();
    const lifetime = this.config.sessionIdLifetime;
    const absoluteExpiresAt = lifetime < 0 ? FOREVER : now + lifetime * 1000;
    const sid = randomUUID();
    const session: SessionRecord = {
      id: randomUUID(),
      sid,
      cookieHash: cookieHash(cookie),
      userDn: user?.dn ?? null,
      state,
      createdAt: now,
      lastUsedAt: now,
      authTime: state === "authenticated" ? now : null,
      absoluteExpiresAt,
      expiresAt: this.expiresAt(state, now, absoluteExpiresAt),
      permissionGranted: false,
      attributes: { ...attributes, sid },
      secure: t.secure,
      grants: {},
      handle: `shandle:${randomToken()}`,
      realm: user?.realm ?? ROOT_REALM,
      properties: {},
    };
    return { session, cookie };
  }

  private refused<T>(result: CapResult): Result<T> {
    if (result === "limit")
      return fail("conflict", `user already has ${this.config.maxSessionsPerUser} sessions`);
    return fail("too_many", "too many sessions waiting for sign-in; try again later", {
      retryAfter: this.config.sessionIdUnauthenticatedUnusedLifetime,
    });
  }

  /** Creates a session; refused when a cap (per user, unauthenticated per address or in all) is reached. */
  async create(
    state: SessionState,
    user: SessionUser | null,
    attributes: Record<string, string>,
    t: Transport,
    actor: Actor = { type: "user" },
  ): Promise<Result<CreatedSession>> {
    const created = this.record(state, user, attributes, t);
    const result = await this.store.sessions.insert(created.session, this.cap());
    if (result !== "ok") return this.refused(result);
    await this.events.emit(state === "authenticated" ? "authenticated" : "created", created.session, actor);
    return ok(created);
  }

  /**
   * A successful authentication. With changeSessionIdOnAuthentication (the default), a new session
   * replaces the browser's old one (new sid, new cookie), so a planted pre-login cookie is worth
   * nothing; otherwise an unauthenticated session is upgraded in place.
   */
  async authenticated(
    previous: SessionRecord | undefined,
    user: SessionUser,
    attributes: Record<string, string>,
    t: Transport,
    actor: Actor,
  ): Promise<Result<CreatedSession | { session: SessionRecord; cookie?: undefined }>> {
    const merged = { ...(previous?.attributes ?? {}), ...attributes };
    if (!this.config.changeSessionIdOnAuthentication && previous?.state === "unauthenticated") {
      const now = this.clock.now();
      const update = {
        userDn: user.dn,
        realm: user.realm,
        state: "authenticated" as const,
        authTime: now,
        lastUsedAt: now,
        expiresAt: this.expiresAt("authenticated", now, previous.absoluteExpiresAt),
        attributes: merged,
      };
      const result = await this.store.sessions.authenticate(previous.sid, update, this.cap());
      if (result === "ok") {
        const session = { ...previous, ...update };
        await this.events.emit("authenticated", session, actor);
        return ok({ session });
      }
      if (result !== "gone") return this.refused(result);
    }
    const { sid: _old, ...kept } = merged;
    const created = this.record("authenticated", user, kept, t);
    const wrote = { any: false };
    // The replaced session's tokens end with it, and its RPs are told, in the same transaction.
    const replacing = previous && {
      revokeUntil: this.clock.now() + this.config.accessTokenLifetime * 1000 + 60_000,
      outbox: this.intents(await this.relying(), "replaced", actor, wrote),
    };
    const result = await this.store.sessions.rotate(
      previous?.sid ?? null,
      created.session,
      this.cap(),
      replacing,
    );
    if (result !== "ok") return this.refused(result);
    if (wrote.any) this.outboxWritten();
    await this.events.emit(
      "authenticated",
      created.session,
      actor,
      previous ? { replaced: previous.sid } : {},
    );
    return ok(created);
  }

  /** The live session behind a cookie, if any (not yet counted as a use). */
  async byCookie(cookie: string | undefined, t: Transport): Promise<SessionRecord | undefined> {
    if (!cookie) return undefined;
    const s = await this.store.sessions.getLiveByCookie(cookieHash(cookie), this.clock.now());
    // A session made over TLS is never accepted over plain HTTP.
    return s && (!s.secure || t.secure) ? s : undefined;
  }

  /**
   * How long a recorded use stays current, ms: a use within it is not written again (the "latest
   * access time update frequency"), capped at a quarter of the idle lifetime.
   */
  private writeIntervalMs(state: SessionState): number {
    return Math.min(this.config.latestAccessTimeUpdateFrequency * 1000, this.idleMs(state) / 4);
  }

  /**
   * Records a use (or an authentication attempt): moves lastUsedAt and the idle deadline, writing
   * to the store at most once per write interval per session.
   */
  async touch(session: SessionRecord, actor: Actor = { type: "user" }): Promise<SessionRecord> {
    const now = this.clock.now();
    const usedBefore = now - this.writeIntervalMs(session.state);
    if (session.lastUsedAt > usedBefore) return session;
    const expiresAt = this.expiresAt(session.state, now, session.absoluteExpiresAt);
    if (!(await this.store.sessions.touch(session.sid, now, expiresAt, usedBefore))) return session;
    this.recordWrite();
    // Sampled: a use is an event when it follows a quiet spell (and only the instance that wrote it).
    if (this.events.shouldRecordUse(session, now)) await this.events.emit("used", session, actor);
    return { ...session, lastUsedAt: now, expiresAt };
  }

  /** Records the client a code was issued to, and its scopes (Janssen's permissionGrantedMap). */
  recordGrant(session: SessionRecord, clientId: string, scopes: string): Promise<void> {
    return this.store.sessions.recordGrant(session.sid, clientId, scopes);
  }

  /**
   * The one place sessions end: in one store transaction each is deleted, its tokens revoked and
   * its event recorded; then the events go to the webhooks.
   */
  private async endLive(target: EndTarget, kind: EndKind, actor: Actor): Promise<SessionRecord[]> {
    const wrote = { any: false };
    const ending = {
      // Access tokens outlive no revocation record: keep it as long as the longest one can live.
      revokeUntil: this.clock.now() + this.config.accessTokenLifetime * 1000 + 60_000,
      event: (s: SessionRecord) => this.events.about(kind, s, actor),
      outbox: this.intents(await this.relying(), kind, actor, wrote),
    };
    const ended = await this.store.sessions.endLive(target, this.clock.now(), ending);
    this.events.published(ended.events);
    if (wrote.any) this.outboxWritten();
    return ended.sessions;
  }

  /** Ends the browser's own session (end_session, sign-out). */
  async end(session: SessionRecord, actor: Actor): Promise<boolean> {
    return (await this.endLive({ sid: session.sid }, "ended", actor)).length > 0;
  }

  /** The cookie's Max-Age, seconds; undefined for a browser-session cookie. */
  cookieMaxAge(): number | undefined {
    const c = this.config;
    if (c.sessionIdCookieLifetime <= 0 || c.sessionIdLifetime < 0) return undefined;
    return c.sessionIdCookieLifetime;
  }

  // Admin operations: reads never count as a use of the session.

  async search(raw: RawSessionSearch): Promise<Result<SessionPage & { start: number }>> {
    const parsed = parseSessionSearch(raw, this.config.maxSearchLimit);
    if (!parsed.ok) return parsed;
    const page = await this.store.sessions.search({ now: this.clock.now(), ...parsed.value });
    return ok({ ...page, start: parsed.value.offset });
  }

  /** The live session a token (the session_id cookie value) names, for an admin's action on it. */
  async byToken(token: string): Promise<SessionRecord | undefined> {
    if (!token) return undefined;
    return this.store.sessions.getLiveByCookie(cookieHash(token), this.clock.now());
  }

  async byHandle(handle: string): Promise<SessionRecord | undefined> {
    return this.store.sessions.getLiveByHandle(handle, this.clock.now());
  }

  /** Merges properties into a live session; undefined when it has ended meanwhile. */
  setProperties(
    session: SessionRecord,
    properties: Record<string, string>,
  ): Promise<SessionRecord | undefined> {
    return this.store.sessions.setProperties(session.sid, properties, this.clock.now());
  }

  async get(sid: string): Promise<Result<SessionRecord>> {
    const s = await this.store.sessions.getLive(sid, this.clock.now());
    return s ? ok(s) : fail("not_found", "no live session with that sid");
  }

  /** Ends one session for someone else (an admin, a client). */
  async delete(sid: string, actor: Actor): Promise<Result<SessionRecord>> {
    const [gone] = await this.endLive({ sid }, "revoked", actor);
    return gone ? ok(gone) : fail("not_found", "no live session with that sid");
  }

  /** Ends every live session of a user (but keepSid); not_found when there was none. */
  async revokeUser(userDn: string, actor: Actor, keepSid?: string): Promise<Result<SessionRecord[]>> {
    const gone = await this.endLive({ userDn, keepSid }, actor.type === "user" ? "ended" : "revoked", actor);
    return gone.length === 0 ? fail("not_found", `no live sessions for user ${userDn}`) : ok(gone);
  }

  /** The live authenticated sessions of one user (their own view, ASVS 7.5.2). */
  async ofUser(userDn: string): Promise<SessionRecord[]> {
    const page = await this.store.sessions.search({
      now: this.clock.now(),
      filters: [{ field: "userDn", type: "string", op: "=", value: userDn }],
      pattern: "",
      sortBy: "creationDate",
      descending: false,
      offset: 0,
      limit: Math.max(this.config.maxSessionsPerUser, 1000),
    });
    return page.entries;
  }

  /**
   * Purges one batch of expired sessions, writing what their RPs and receivers are owed in the same
   * transaction, and records each as expired.
   */
  async sweep(batch: number): Promise<SessionRecord[]> {
    const wrote = { any: false };
    const outbox = this.intents(await this.relying(), "expired", { type: "system" }, wrote);
    const gone = await this.store.sessions.sweepExpired(this.clock.now(), batch, { outbox });
    await this.expired(gone);
    if (wrote.any) this.outboxWritten();
    return gone;
  }

  /** Sessions the sweeper removed: each recorded as expired. */
  async expired(sessions: SessionRecord[]): Promise<void> {
    for (const s of sessions) await this.events.emit("expired", s, { type: "system" });
  }
}
