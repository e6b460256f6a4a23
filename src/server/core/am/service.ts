import type { SessionExpr } from "../../store/query.js";
import type { SessionRecord, Store } from "../../store/types.js";
import type { Clock } from "../clock.js";
import type { ServerConfig } from "../config.js";
import { fail, ok, type Result } from "../errors.js";
import type { Actor } from "../events.js";
import { ROOT_REALM, realmCovers } from "../realms.js";
import type { SessionService } from "../sessions.js";
import type { UserService } from "../users.js";
import { checkPropertyUpdate, whitelistedProperties } from "./properties.js";
import {
  cursorAfter,
  decodeCookie,
  encodeCookie,
  parseSessionFilter,
  parseSortKeys,
  queryFingerprint,
} from "./query.js";

export interface AmQueryInput {
  filter: string;
  sortKeys?: string;
  pageSize?: number;
  offset?: number;
  cookie?: string;
  /** Count every match (CREST's EXACT or ESTIMATE total policy). */
  countTotal: boolean;
}

export interface AmQueryPage {
  entries: SessionRecord[];
  /** Continues after this page; null on the last one. */
  cookie: string | null;
  /** Every match, or -1 when not counted. */
  total: number;
}

/** Timeouts as PingAM's refresh reports them: idle and remaining in seconds, limits in minutes. */
export interface SessionTimes {
  idletime: number;
  maxidletime: number;
  maxsessiontime: number;
  maxtime: number;
}

const NOT_FOUND = "Session not found or expired";

/**
 * PingAM's session actions over the one session service. A request is made in a realm: it sees
 * the sessions of that realm, and the root realm sees every realm's. Only authenticated sessions
 * are PingAM sessions; a pre-login one is invisible here.
 */
export class AmSessions {
  constructor(
    private readonly store: Store,
    private readonly sessions: SessionService,
    private readonly users: UserService,
    private readonly config: ServerConfig,
    private readonly clock: Clock,
  ) {}

  /** The live authenticated session a token names, if the realm may see it. */
  async byToken(realm: string, tokenId: string): Promise<SessionRecord | undefined> {
    const s = await this.sessions.byToken(tokenId.trim());
    return s && s.state === "authenticated" && realmCovers(realm, s.realm) ? s : undefined;
  }

  /** getSessionInfo (reset false) and getSessionInfoAndResetIdleTime (true). */
  async info(realm: string, tokenId: string, reset: boolean, actor: Actor): Promise<Result<SessionRecord>> {
    const s = await this.byToken(realm, tokenId);
    if (!s) return fail("not_found", NOT_FOUND);
    return ok(reset ? await this.sessions.touch(s, actor) : s);
  }

  /** validate: the session if valid (its idle time reset unless refresh is false). */
  async validate(realm: string, tokenId: string, refresh: boolean, actor: Actor) {
    const s = await this.byToken(realm, tokenId);
    return s && refresh ? this.sessions.touch(s, actor) : s;
  }

  /** refresh: resets the idle time and reports the session's timeouts. */
  async refresh(realm: string, tokenId: string, actor: Actor): Promise<Result<SessionRecord>> {
    return this.info(realm, tokenId, true, actor);
  }

  times(s: SessionRecord): SessionTimes {
    const now = this.clock.now();
    const unlimited = this.config.sessionIdLifetime < 0;
    return {
      idletime: Math.max(0, Math.floor((now - s.lastUsedAt) / 1000)),
      maxidletime: Math.floor(this.config.sessionIdUnusedLifetime / 60),
      maxsessiontime: unlimited ? -1 : Math.floor(this.config.sessionIdLifetime / 60),
      maxtime: unlimited ? -1 : Math.max(0, Math.floor((s.absoluteExpiresAt - now) / 1000)),
    };
  }

  /** logout: true when the token named a live session, which is now ended. */
  async logout(realm: string, tokenId: string, actor: Actor): Promise<boolean> {
    const s = await this.byToken(realm, tokenId);
    return s !== undefined && (await this.sessions.delete(s.sid, actor)).ok;
  }

  /** logoutByHandle: for each handle, whether a session of the realm was ended. */
  async logoutByHandle(realm: string, handles: string[], actor: Actor): Promise<Record<string, boolean>> {
    const result: Record<string, boolean> = {};
    for (const handle of handles) {
      const s = await this.sessions.byHandle(handle);
      const mine = s !== undefined && s.state === "authenticated" && realmCovers(realm, s.realm);
      result[handle] = mine && (await this.sessions.delete(s.sid, actor)).ok;
    }
    return result;
  }

  /** logoutByUser: ends the user's sessions; answers the same whether or not the user exists. */
  async logoutByUser(realm: string, userId: string, actor: Actor): Promise<void> {
    const user = await this.users.findBy("inum", userId);
    if (user && realmCovers(realm, user.realm)) await this.sessions.revokeUser(user.dn, actor);
  }

  async properties(realm: string, tokenId: string): Promise<Result<Record<string, string>>> {
    const s = await this.byToken(realm, tokenId);
    return s ? ok(whitelistedProperties(this.config, s)) : fail("not_found", NOT_FOUND);
  }

  async updateProperties(
    realm: string,
    tokenId: string,
    changes: Record<string, unknown>,
  ): Promise<Result<Record<string, string>>> {
    const s = await this.byToken(realm, tokenId);
    if (!s) return fail("not_found", NOT_FOUND);
    const checked = checkPropertyUpdate(this.config, s, changes);
    if (!checked.ok) return checked;
    const updated = await this.sessions.setProperties(s, checked.value);
    return updated ? ok(whitelistedProperties(this.config, updated)) : fail("not_found", NOT_FOUND);
  }

  /** The realm's authenticated sessions matching a CREST filter, one page at a time. */
  async query(realm: string, input: AmQueryInput): Promise<Result<AmQueryPage>> {
    const filter = parseSessionFilter(input.filter);
    if (!filter.ok) return filter;
    const sort = parseSortKeys(input.sortKeys);
    if (!sort.ok) return sort;
    const max = this.config.maxSearchLimit;
    const limit = input.pageSize ?? max;
    if (limit < 1 || limit > max)
      return fail("invalid", `_pageSize must be between 1 and ${max}`, { param: "_pageSize" });
    const fingerprint = queryFingerprint(realm, input.filter, sort.value);
    const after = input.cookie ? decodeCookie(input.cookie, fingerprint) : undefined;
    if (after && !after.ok) return after;
    const expr: SessionExpr =
      realm === ROOT_REALM
        ? filter.value
        : { kind: "and", items: [filter.value, { kind: "cmp", field: "realm", op: "eq", value: realm }] };
    const page = await this.store.sessions.search({
      now: this.clock.now(),
      filters: [{ field: "state", type: "state", op: "=", value: "authenticated" }],
      expr,
      idleMs: this.sessions.idleMs("authenticated"),
      pattern: "",
      sortBy: sort.value.field,
      descending: sort.value.descending,
      offset: input.offset ?? 0,
      // One more than the page: whether another page follows, without counting.
      limit: limit + 1,
      ...(after ? { after: after.value } : {}),
      countTotal: input.countTotal,
    });
    const entries = page.entries.slice(0, limit);
    const last = entries.at(-1);
    const more = page.entries.length > limit && last !== undefined;
    return ok({
      entries,
      cookie: more ? encodeCookie(cursorAfter(last, sort.value.field), fingerprint) : null,
      total: page.total,
    });
  }
}
