import { pageOf, sessionOrder } from "../session-match.js";
import type {
  CapResult,
  EndedSessions,
  EndTarget,
  SessionCap,
  SessionEnding,
  SessionEvent,
  SessionPage,
  SessionQuery,
  SessionRecord,
  SessionReplacing,
  SessionStore,
  Store,
  UserSessionSummary,
} from "../types.js";
import { StoreUnavailable } from "../types.js";
import type { RedisConn } from "./connect.js";
import { BY_INDEX, END, SWEEP, WRITE } from "./scripts.js";

/** A session's key outlives its expiry this long, so the sweeper can still read it for its event and deliveries. */
export const SWEEP_GRACE_MS = 3_600_000;

/** What the database keeps when sessions live in Redis: the audit, revocations, refresh tokens, the outbox. */
export type SqlSide = Pick<Store, "events" | "revocations" | "refreshTokens" | "outbox">;

const parse = (json: string) => JSON.parse(json) as SessionRecord;

/**
 * A key's lifetime from its session's own deadline, relative to its last use rather than to a
 * clock: an instance's clock and Redis's need not agree. Liveness itself is always decided by
 * expiresAt > now, as in the database.
 */
const ttlOf = (s: SessionRecord) => String(Math.max(1, s.expiresAt - s.lastUsedAt) + SWEEP_GRACE_MS);

const NO_CAP: SessionCap = { max: 0, now: 0 };

/**
 * Live sessions in Redis (cacheProviderType REDIS, sessionIdPersistInCache true): every cap
 * decided by one Lua script, search over indexes Redis keeps with the same predicate as the SQL
 * stores. What an ending leaves in the database is written after Redis has ended the session
 * and marked its tokens revoked, so a failure in between leaves it ended, never live.
 */
export class RedisSessions implements SessionStore {
  constructor(
    private readonly r: RedisConn,
    private readonly prefix: string,
    private readonly sql: SqlSide,
    /** A search reading more than this long is answered 503 (ms). */
    private readonly searchTimeoutMs = 5000,
  ) {}

  private async write(
    rec: SessionRecord,
    cap: SessionCap,
    mode: "insert" | "rotate" | "cas",
    arg = "",
    revokeTtl = 0,
  ): Promise<[string, string]> {
    const out = (await this.r.eval(WRITE, {
      keys: [`${this.prefix}exp`],
      arguments: [
        this.prefix,
        rec.sid,
        JSON.stringify(rec),
        ttlOf(rec),
        String(cap.now),
        String(cap.max),
        String(cap.anonymousPerAddress ?? 0),
        String(cap.anonymousTotal ?? 0),
        mode,
        arg,
        String(Math.max(0, revokeTtl)),
      ],
    })) as [string, string];
    return out;
  }

  async insert(rec: SessionRecord, cap?: SessionCap): Promise<CapResult> {
    return (await this.write(rec, cap ?? NO_CAP, "insert"))[0] as CapResult;
  }

  async insertMany(recs: SessionRecord[]): Promise<void> {
    for (let i = 0; i < recs.length; i += 500)
      await Promise.all(recs.slice(i, i + 500).map((r) => this.write(r, NO_CAP, "insert")));
  }

  async rotate(
    oldSid: string | null,
    rec: SessionRecord,
    cap: SessionCap,
    replacing?: SessionReplacing,
  ): Promise<CapResult> {
    const revokeTtl = replacing ? replacing.revokeUntil - cap.now : 0;
    const [result, oldJson] = await this.write(rec, cap, "rotate", oldSid ?? "", revokeTtl);
    if (result === "ok" && oldJson && replacing) await this.leaveBehind([parse(oldJson)], replacing);
    return result as CapResult;
  }

  /** Read, change, write back unless it changed meanwhile (then again): one session's updates never lost. */
  private async update(
    sid: string,
    now: number,
    change: (s: SessionRecord) => SessionRecord | "stop",
    cap: SessionCap = NO_CAP,
  ): Promise<{ result: CapResult | "stop"; rec?: SessionRecord }> {
    for (;;) {
      const json = await this.r.get(`${this.prefix}s:${sid}`);
      if (json === null) return { result: "gone" };
      const cur = parse(json);
      if (!(cur.expiresAt > now)) return { result: "gone" };
      const next = change(cur);
      if (next === "stop") return { result: "stop" };
      const [result] = await this.write(next, { ...cap, now }, "cas", json);
      if (result !== "conflict") return { result: result as CapResult, rec: next };
    }
  }

  async authenticate(sid: string, update: Partial<SessionRecord>, cap: SessionCap): Promise<CapResult> {
    const { result } = await this.update(sid, cap.now, (s) => ({ ...s, ...update, sid }), cap);
    return result === "stop" ? "gone" : result;
  }

  async getLive(sid: string, now: number): Promise<SessionRecord | undefined> {
    return this.live(await this.r.get(`${this.prefix}s:${sid}`), now);
  }

  private live(json: string | null, now: number): SessionRecord | undefined {
    if (json === null) return undefined;
    const s = parse(json);
    return s.expiresAt > now ? s : undefined;
  }

  private async byIndex(key: string, now: number): Promise<SessionRecord | undefined> {
    const json = (await this.r.eval(BY_INDEX, {
      keys: [`${this.prefix}exp`],
      arguments: [this.prefix, key],
    })) as string | null;
    return this.live(json, now);
  }

  getLiveByCookie(cookieHash: string, now: number): Promise<SessionRecord | undefined> {
    return this.byIndex(`c:${cookieHash}`, now);
  }

  getLiveByHandle(handle: string, now: number): Promise<SessionRecord | undefined> {
    return this.byIndex(`h:${handle}`, now);
  }

  async touch(sid: string, lastUsedAt: number, expiresAt: number, usedBefore?: number): Promise<boolean> {
    // The database's touch does not ask for liveness; neither does this one (only for existence).
    const { result } = await this.update(sid, 0, (s) =>
      s.lastUsedAt <= (usedBefore ?? Number.MAX_SAFE_INTEGER) ? { ...s, lastUsedAt, expiresAt } : "stop",
    );
    return result === "ok";
  }

  async setProperties(
    sid: string,
    properties: Record<string, string>,
    now: number,
  ): Promise<SessionRecord | undefined> {
    const { result, rec } = await this.update(sid, now, (s) => ({
      ...s,
      properties: { ...s.properties, ...properties },
    }));
    return result === "ok" ? rec : undefined;
  }

  async recordGrant(sid: string, clientId: string, scopes: string): Promise<void> {
    await this.update(sid, 0, (s) => ({
      ...s,
      grants: { ...s.grants, [clientId]: scopes },
      permissionGranted: true,
    }));
  }

  /**
   * Reads sessions by sid, in batches (missing ones left out; other requests run between two).
   * Past the deadline the read gives up with StoreUnavailable: 503 with Retry-After, as a
   * search past statement_timeout on PostgreSQL or the SQLite search pool's limit.
   */
  private async load(sids: string[], deadline = Number.POSITIVE_INFINITY): Promise<SessionRecord[]> {
    const out: SessionRecord[] = [];
    for (let i = 0; i < sids.length; i += 1000) {
      if (performance.now() > deadline)
        throw new StoreUnavailable(`the search took longer than ${this.searchTimeoutMs} ms`);
      const jsons = await this.r.mGet(sids.slice(i, i + 1000).map((s) => `${this.prefix}s:${s}`));
      for (const j of jsons) if (j !== null) out.push(parse(j));
    }
    return out;
  }

  /** The smallest index that holds every match: a user's or a client's set when an equality filter names one. */
  private candidateKey(q: SessionQuery): string {
    for (const f of q.filters) {
      if (f.op !== "=" || f.type === "date" || f.type === "boolean") continue;
      if (f.field === "userDn") return `u:${f.value}`;
      if (f.field === "client_id") return `cl:${f.value}`;
    }
    return "exp";
  }

  async search(q: SessionQuery): Promise<SessionPage> {
    const plain = q.filters.length === 0 && !q.expr && q.pattern === "" && !q.after;
    if (plain && (q.sortBy === "creationDate" || q.sortBy === "expirationDate")) return this.listPage(q);
    const sids = await this.r.zRangeByScore(`${this.prefix}${this.candidateKey(q)}`, `(${q.now}`, "+inf");
    return pageOf(await this.load(sids, performance.now() + this.searchTimeoutMs), q);
  }

  /** The live sessions an ending targets, in the order END reads them, with their JSON. */
  private async targets(target: EndTarget, now: number): Promise<string[]> {
    const sids =
      "sid" in target
        ? [target.sid]
        : await this.r.zRangeByScore(`${this.prefix}u:${target.userDn}`, `(${now}`, "+inf");
    const keep = "sid" in target ? undefined : target.keepSid;
    const jsons = sids.length
      ? await this.r.mGet(sids.filter((s) => s !== keep).map((s) => `${this.prefix}s:${s}`))
      : [];
    return jsons.filter((j): j is string => j !== null && parse(j).expiresAt > now);
  }

  /**
   * Reads the targets, prepares their events and deliveries (a failure there changes nothing),
   * ends them in Redis with their revocation marks in one script (again if they changed
   * meanwhile), then writes the database's part: revocation rows, refresh tokens, deliveries,
   * events. A failure of the database after Redis leaves the sessions ended and their tokens
   * refused by the marks; only that part of the audit is missing.
   */
  /**
   * The unfiltered list by creation or expiry (the admin list's default): the total counted in
   * the expiry index, the page read in the index's order (ties by sid, as SQL breaks them),
   * expired sessions not yet swept skipped. Reads the page and what precedes it, not every session.
   */
  private async listPage(q: SessionQuery): Promise<SessionPage> {
    const byExpiry = q.sortBy === "expirationDate";
    const total = q.countTotal === false ? -1 : await this.r.zCount(`${this.prefix}exp`, `(${q.now}`, "+inf");
    const key = `${this.prefix}${byExpiry ? "exp" : "cr"}`;
    const wanted = q.offset + q.limit;
    const live: SessionRecord[] = [];
    const step = Math.max(100, wanted);
    for (let at = 0; live.length < wanted; at += step) {
      const sids = await this.r.zRange(
        key,
        at,
        at + step - 1,
        ...(q.descending ? [{ REV: true } as const] : []),
      );
      if (sids.length === 0) break;
      for (const s of await this.load(sids)) if (s.expiresAt > q.now) live.push(s);
    }
    // Ties in a sorted set are in member order: SQL's sid tie-break (the sort only makes sure).
    return { total, entries: live.sort(sessionOrder(q)).slice(q.offset, wanted) };
  }

  async endLive(target: EndTarget, now: number, ending: SessionEnding): Promise<EndedSessions> {
    const [mode, who, keep] =
      "sid" in target ? ["sid", target.sid, ""] : ["user", target.userDn, target.keepSid ?? ""];
    for (;;) {
      const jsons = await this.targets(target, now);
      const sessions = jsons.map(parse);
      const events = sessions.map((s) => ending.event(s));
      const owed = ending.outbox && sessions.length > 0 ? ending.outbox(sessions) : [];
      if (sessions.length === 0) return { sessions, events: [] };
      const done = await this.r.eval(END, {
        keys: [`${this.prefix}exp`],
        arguments: [
          this.prefix,
          String(now),
          mode,
          who,
          keep,
          String(Math.max(0, ending.revokeUntil - now)),
          ...jsons,
        ],
      });
      if (Number(done) !== 1) continue;
      await this.leaveBehind(sessions, { revokeUntil: ending.revokeUntil }, owed);
      const appended: SessionEvent[] = [];
      for (const e of events) appended.push({ ...e, id: await this.sql.events.append(e) });
      return { sessions, events: appended };
    }
  }

  /** The database's part of an ending, as the SQL stores write it (after Redis has decided). */
  private async leaveBehind(
    ended: SessionRecord[],
    ending: SessionReplacing,
    owed = ending.outbox && ended.length > 0 ? ending.outbox(ended) : [],
  ): Promise<void> {
    for (const s of ended) {
      await this.sql.revocations.revoke(`sid:${s.sid}`, ending.revokeUntil);
      await this.sql.refreshTokens.deleteBySid(s.sid);
    }
    if (owed.length > 0) await this.sql.outbox.add(owed);
  }

  async sweepExpired(
    now: number,
    batch: number,
    ending?: Pick<SessionEnding, "outbox">,
  ): Promise<SessionRecord[]> {
    const jsons = (await this.r.eval(SWEEP, {
      keys: [`${this.prefix}exp`],
      arguments: [this.prefix, String(now), String(batch)],
    })) as string[];
    const gone = jsons.map(parse);
    if (ending?.outbox && gone.length > 0) await this.sql.outbox.add(ending.outbox(gone));
    return gone;
  }

  async liveByUsers(userDns: string[], now: number): Promise<UserSessionSummary[]> {
    const out: UserSessionSummary[] = [];
    for (const userDn of userDns) {
      const sids = await this.r.zRangeByScore(`${this.prefix}ua:${userDn}`, `(${now}`, "+inf");
      const live = (await this.load(sids)).filter((s) => s.expiresAt > now && s.state === "authenticated");
      if (live.length === 0) continue;
      const addresses = [...new Set(live.flatMap((s) => s.attributes.remote_ip ?? []))].sort();
      out.push({
        userDn,
        count: live.length,
        addresses,
        lastUsedAt: Math.max(...live.map((s) => s.lastUsedAt)),
      });
    }
    return out;
  }

  count(): Promise<number> {
    return this.r.zCard(`${this.prefix}exp`);
  }

  /** Whether any of these sessions' tokens were revoked by an ending here (the marks Redis keeps). */
  async anyRevoked(sids: string[]): Promise<boolean> {
    if (sids.length === 0) return false;
    return (await this.r.exists(sids.map((s) => `${this.prefix}rv:sid:${s}`))) > 0;
  }
}
