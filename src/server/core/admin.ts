import { dnOfUserId, type Filter, type SortField, userIdOfDn } from "../store/query.js";
import type {
  OutboxState,
  SessionEvent,
  SessionEventType,
  SessionRecord,
  Store,
  UserRecord,
} from "../store/types.js";
import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import { fail, ok, type Result } from "./errors.js";
import type { Actor, SessionEvents } from "./events.js";
import { FOREVER, type SessionService } from "./sessions.js";
import type { UserService } from "./users.js";

// The admin console's operations (seed 003), for its API and its pages alike: live sessions with
// who, where and when; terminate one or all of a user's; users with their session counts; lock,
// disable; IP-spread alarms; the sign-in audit.

export const ADMIN_SORTS: Readonly<Record<string, SortField>> = {
  created: "creationDate",
  lastActive: "lastUsedAt",
  expires: "expirationDate",
  user: "auth_user",
};

export interface Paging {
  limit: number;
  offset: number;
}

export interface SessionListQuery extends Paging {
  userId?: string;
  ip?: string;
  sort?: string;
  order?: "asc" | "desc";
}

export interface AdminSession {
  id: string;
  userId: string | null;
  username: string | null;
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: number;
  lastActiveAt: number;
  /** When it ends unless used again: the earlier of its idle and absolute limits. */
  expiresAt: number;
  /** The absolute limit, which no activity extends; null when there is none. */
  absoluteExpiresAt: number | null;
  /** The same instant as expiresAt (the API's older name). */
  idleExpiresAt: number;
}

export interface AdminUser {
  id: string | null;
  username: string;
  email: string | null;
  roles: string[];
  disabled: boolean;
  lockedUntil: number;
  sessions: number;
  addresses: string[];
  lastLoginAt: number | null;
}

/** Whether an RP was told about one ended session. */
export interface ToldRp {
  sid: string;
  jti: string;
  clientId: string;
  clientName: string | null;
  state: OutboxState;
  attempts: number;
  outcome: string | null;
}

const ENDINGS = new Set<SessionEventType>(["ended", "revoked", "expired"]);

export const AUDIT_TYPES: readonly SessionEventType[] = [
  "authenticated",
  "login_failed",
  "locked",
  "ended",
  "revoked",
  "alarm_acknowledged",
];

export function adminSession(s: SessionRecord): AdminSession {
  return {
    id: s.sid,
    userId: userIdOfDn(s.userDn),
    username: s.attributes.auth_user ?? null,
    ipAddress: s.attributes.remote_ip ?? null,
    userAgent: s.attributes.user_agent ?? null,
    createdAt: s.createdAt,
    lastActiveAt: s.lastUsedAt,
    expiresAt: s.expiresAt,
    absoluteExpiresAt: s.absoluteExpiresAt >= FOREVER ? null : s.absoluteExpiresAt,
    idleExpiresAt: s.expiresAt,
  };
}

export class AdminService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly config: ServerConfig,
    private readonly sessions: SessionService,
    private readonly users: UserService,
    private readonly events: SessionEvents,
  ) {}

  /** Live authenticated sessions only (an idle-expired one is never shown). */
  async listSessions(q: SessionListQuery): Promise<Result<{ total: number; items: AdminSession[] }>> {
    const key = q.sort ?? "created";
    // Own keys only: "constructor" must never find Object.prototype's.
    const sortBy = Object.hasOwn(ADMIN_SORTS, key) ? ADMIN_SORTS[key] : undefined;
    if (!sortBy)
      return fail("invalid", `sort is one of ${Object.keys(ADMIN_SORTS).join(", ")}`, { param: "sort" });
    const filters: Filter[] = [{ field: "state", type: "state", op: "=", value: "authenticated" }];
    if (q.userId) filters.push({ field: "userDn", type: "string", op: "=", value: dnOfUserId(q.userId) });
    if (q.ip) filters.push({ field: "remote_ip", type: "string", op: "=", value: q.ip });
    const page = await this.store.sessions.search({
      now: this.clock.now(),
      filters,
      pattern: "",
      sortBy,
      descending: (q.order ?? (q.sort ? "asc" : "desc")) === "desc",
      offset: q.offset,
      limit: q.limit,
    });
    return ok({ total: page.total, items: page.entries.map(adminSession) });
  }

  async terminate(id: string, actor: Actor): Promise<Result<AdminSession>> {
    const r = await this.sessions.delete(id, actor);
    return r.ok ? ok(adminSession(r.value)) : r;
  }

  /** Every session and token of the user ends ("Logout All Devices"); how many sessions did. */
  async logoutAll(userId: string, actor: Actor): Promise<Result<{ userId: string; terminated: number }>> {
    const user = await this.store.users.getByDn(dnOfUserId(userId));
    if (!user) return fail("not_found", "no such user");
    return ok({ userId, terminated: await this.users.endEverything(user.dn, actor) });
  }

  async listUsers(q: Paging & { search?: string }): Promise<{ total: number; items: AdminUser[] }> {
    const page = await this.store.users.list(q);
    const now = this.clock.now();
    const sums = new Map(
      (
        await this.store.sessions.liveByUsers(
          page.entries.map((u) => u.dn),
          now,
        )
      ).map((s) => [s.userDn, s]),
    );
    const items = await Promise.all(
      page.entries.map(async (u): Promise<AdminUser> => {
        const sum = sums.get(u.dn);
        const last = await this.store.events.list({
          types: ["authenticated"],
          userDn: u.dn,
          limit: 1,
          offset: 0,
        });
        return {
          id: userIdOfDn(u.dn),
          username: u.username,
          email: u.email,
          roles: u.roles,
          disabled: u.disabled,
          lockedUntil: await this.users.lockedUntil(u.username),
          sessions: sum?.count ?? 0,
          addresses: sum?.addresses ?? [],
          lastLoginAt: last.entries[0]?.at ?? null,
        };
      }),
    );
    return { total: page.total, items };
  }

  async user(userId: string): Promise<Result<UserRecord>> {
    const u = await this.store.users.getByDn(dnOfUserId(userId));
    return u ? ok(u) : fail("not_found", "no such user");
  }

  async setLocked(userId: string, locked: boolean, actor: Actor): Promise<Result<{ lockedUntil: number }>> {
    const u = await this.user(userId);
    if (!u.ok) return u;
    if (!locked) {
      await this.users.unlock(u.value.username);
      return ok({ lockedUntil: 0 });
    }
    return ok({ lockedUntil: await this.users.lock(u.value, actor) });
  }

  /** Disabling ends every session and token of the user now. */
  async setDisabled(userId: string, disabled: boolean, actor: Actor): Promise<Result<{ disabled: boolean }>> {
    const u = await this.user(userId);
    if (!u.ok) return u;
    await this.users.setDisabled(u.value.dn, disabled, actor);
    return ok({ disabled });
  }

  alarms(q: Paging & { open?: boolean; userId?: string }) {
    return this.store.alarms.list({
      limit: q.limit,
      offset: q.offset,
      ...(q.open !== undefined ? { open: q.open } : {}),
      ...(q.userId ? { userDn: dnOfUserId(q.userId) } : {}),
    });
  }

  /** Acknowledges an open alarm, in the audit as the admin's act. */
  async acknowledge(id: number, actor: Actor): Promise<Result<{ id: number }>> {
    const open = (await this.store.alarms.list({ open: true, limit: 1000, offset: 0 })).entries.find(
      (a) => a.id === id,
    );
    if (!open || !(await this.store.alarms.acknowledge(id, actor.id ?? "admin", this.clock.now())))
      return fail("not_found", "no open alarm with that id");
    const who = { userDn: open.userDn, username: open.username ?? "" };
    await this.events.emitAccount("alarm_acknowledged", who, actor, { alarm: String(id), kind: open.kind });
    return ok({ id });
  }

  /** The audit, newest first; `since`/`until` (epoch ms) bound the time range. */
  audit(q: Paging & { userId?: string; type?: SessionEventType; since?: number; until?: number }) {
    return this.store.events.list({
      types: q.type ? [q.type] : [...AUDIT_TYPES],
      limit: q.limit,
      offset: q.offset,
      ...(q.userId ? { userDn: dnOfUserId(q.userId) } : {}),
      ...(q.since !== undefined ? { since: q.since } : {}),
      ...(q.until !== undefined ? { until: q.until } : {}),
    });
  }

  /** The back-channel logouts owed for these sessions (the audit page's "Relying parties told"). */
  async toldAbout(events: readonly SessionEvent[]): Promise<ToldRp[]> {
    const sids = [...new Set(events.filter((e) => e.sid && ENDINGS.has(e.type)).map((e) => e.sid as string))];
    const names = new Map<string, string | null>();
    const out: ToldRp[] = [];
    for (const sid of sids)
      for (const o of await this.store.outbox.bySid(sid)) {
        if (o.kind !== "backchannel") continue;
        if (!names.has(o.target)) names.set(o.target, (await this.store.clients.get(o.target))?.name ?? null);
        const { id: jti, target: clientId, state, attempts, outcome } = o;
        out.push({ sid, jti, clientId, clientName: names.get(o.target) ?? null, state, attempts, outcome });
      }
    return out;
  }

  get maxLimit(): number {
    return this.config.maxSearchLimit;
  }
}
