import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDateInterval } from "../../../src/server/core/dates.js";
import {
  type FieldType,
  type Filter,
  SESSION_ATTRIBUTES,
  SESSION_FIELDS,
  toFilter,
} from "../../../src/server/core/session-fields.js";
import type { ExprField, ExprOp, SessionExpr } from "../../../src/server/store/query.js";
import type {
  EndTarget,
  OutboxRecord,
  SessionEnding,
  SessionQuery,
  SessionRecord,
  Store,
  StreamRecord,
} from "../../../src/server/store/types.js";
import { OPERATORS } from "../../../src/shared/field-value-pair.js";

// The behaviour every store backend must have, run against each (SQLite here; PostgreSQL in its
// own file). A backend passes when all of it passes unchanged.

const T0 = Date.UTC(2026, 5, 1, 12);
const HOUR = 3_600_000;

/** How the core ends sessions: a revocation kept an hour, a "revoked" event by an admin. */
const ending: SessionEnding = {
  revokeUntil: T0 + HOUR,
  event: (s) => ({
    at: T0,
    type: "revoked",
    sid: s.sid,
    userDn: s.userDn,
    username: null,
    clientId: null,
    actorType: "admin",
    actor: "contract",
    remoteIp: null,
    detail: {},
  }),
};

/** A pending device code that expires 10 minutes after T0. */
const deviceCode = (deviceCodeHash: string, userCode: string) => ({
  deviceCodeHash,
  userCode,
  clientId: "c1",
  scopes: ["a"],
  expiresAt: T0 + 600_000,
  intervalSeconds: 5,
  status: "pending" as const,
  userDn: null,
  lastPollAt: 0,
});

export function session(over: Partial<SessionRecord> = {}): SessionRecord {
  const sid = over.sid ?? randomUUID();
  return {
    sid,
    cookieHash: `hash-${sid}`,
    userDn: "inum=1,ou=people,o=jans",
    state: "authenticated",
    createdAt: T0,
    lastUsedAt: T0,
    authTime: T0,
    absoluteExpiresAt: T0 + 24 * HOUR,
    expiresAt: T0 + HOUR,
    permissionGranted: false,
    attributes: {
      auth_user: "alice",
      client_id: "portal",
      acr: "simple_password_auth",
      remote_ip: "10.0.0.1",
    },
    secure: false,
    id: `rec-${sid}`,
    grants: {},
    handle: `shandle:${sid}`,
    realm: "/",
    properties: {},
    ...over,
  } as SessionRecord;
}

const query = (over: Partial<SessionQuery> = {}): SessionQuery => ({
  now: T0,
  filters: [],
  pattern: "",
  sortBy: "creationDate",
  descending: false,
  offset: 0,
  limit: 50,
  ...over,
});

const str = (field: string, op: Filter["op"], value: string): Filter =>
  ({ field, type: "string", op, value }) as Filter;
const date = (field: string, op: Filter["op"], text: string): Filter =>
  ({ field, type: "date", op, interval: parseDateInterval(text)! }) as Filter;

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe("sessions", () => {
      it("inserts and reads a live session by sid and by cookie hash, with every field", async () => {
        const s = session({ permissionGranted: true, attributes: { auth_user: 'a,b="c"', x: "é" } });
        expect(await store.sessions.insert(s)).toBe("ok");
        expect(await store.sessions.getLive(s.sid, T0)).toEqual(s);
        expect(await store.sessions.getLiveByCookie(s.cookieHash, T0)).toEqual(s);
        expect(await store.sessions.getLive("nope", T0)).toBeUndefined();
      });

      it("treats a session as gone from the instant it expires", async () => {
        const s = session();
        await store.sessions.insert(s);
        expect(await store.sessions.getLive(s.sid, s.expiresAt - 1)).toBeDefined();
        expect(await store.sessions.getLive(s.sid, s.expiresAt)).toBeUndefined();
        expect(await store.sessions.getLiveByCookie(s.cookieHash, s.expiresAt)).toBeUndefined();
        expect((await store.sessions.endLive({ sid: s.sid }, s.expiresAt, ending)).sessions).toEqual([]);
      });

      it("holds the per-user cap exactly under parallel inserts, unauthenticated sessions aside", async () => {
        const cap = { max: 3, now: T0 };
        const results = await Promise.all(
          Array.from({ length: 12 }, () => store.sessions.insert(session(), cap)),
        );
        expect(results.filter((r) => r === "ok")).toHaveLength(3);
        expect(results.filter((r) => r === "limit")).toHaveLength(9);
        const anon = session({ state: "unauthenticated", userDn: null, authTime: null });
        expect(await store.sessions.insert(anon, cap)).toBe("ok");
        // Expired sessions do not count against the cap.
        expect(await store.sessions.insert(session(), { max: 3, now: T0 + 2 * HOUR })).toBe("ok");
      });

      it("upgrades an unauthenticated session in place, under the cap, and not a gone one", async () => {
        const anon = session({ state: "unauthenticated", userDn: null, authTime: null, attributes: {} });
        await store.sessions.insert(anon);
        const up = {
          userDn: "inum=2",
          state: "authenticated" as const,
          authTime: T0 + 5,
          attributes: { acr: "x" },
        };
        expect(await store.sessions.authenticate(anon.sid, up, { max: 1, now: T0 })).toBe("ok");
        expect(await store.sessions.getLive(anon.sid, T0)).toMatchObject(up);
        const other = session({ state: "unauthenticated", userDn: null, authTime: null });
        await store.sessions.insert(other);
        expect(await store.sessions.authenticate(other.sid, up, { max: 1, now: T0 })).toBe("limit");
        expect(await store.sessions.authenticate("nope", up, { max: 1, now: T0 })).toBe("gone");
      });

      it("rotates a session: the new one in under the cap, the old one gone, in one step", async () => {
        const anon = session({ state: "unauthenticated", userDn: null, authTime: null });
        await store.sessions.insert(anon);
        const fresh = session({ secure: true });
        expect(await store.sessions.rotate(anon.sid, fresh, { max: 1, now: T0 })).toBe("ok");
        expect(await store.sessions.getLive(anon.sid, T0)).toBeUndefined();
        expect(await store.sessions.getLive(fresh.sid, T0)).toEqual(fresh);
        // Re-authentication replaces an authenticated session without counting it twice.
        const again = session();
        expect(await store.sessions.rotate(fresh.sid, again, { max: 1, now: T0 })).toBe("ok");
        // Refused under the cap: the old session stays.
        const other = session({ state: "unauthenticated", userDn: null, authTime: null });
        await store.sessions.insert(other);
        expect(await store.sessions.rotate(other.sid, session(), { max: 1, now: T0 })).toBe("limit");
        expect(await store.sessions.getLive(other.sid, T0)).toBeDefined();
      });

      it("caps unauthenticated sessions per remote address and in all", async () => {
        const anon = (ip: string) =>
          session({ state: "unauthenticated", userDn: null, authTime: null, attributes: { remote_ip: ip } });
        const cap = { max: 10, now: T0, anonymousPerAddress: 2, anonymousTotal: 3 };
        expect(await store.sessions.insert(anon("10.1.1.1"), cap)).toBe("ok");
        expect(await store.sessions.insert(anon("10.1.1.1"), cap)).toBe("ok");
        expect(await store.sessions.insert(anon("10.1.1.1"), cap)).toBe("busy");
        expect(await store.sessions.insert(anon("10.2.2.2"), cap)).toBe("ok");
        expect(await store.sessions.insert(anon("10.3.3.3"), cap)).toBe("busy");
        // Authenticated sessions are not counted, and expired ones free room.
        expect(await store.sessions.insert(session(), cap)).toBe("ok");
        expect(await store.sessions.insert(anon("10.1.1.1"), { ...cap, now: T0 + HOUR })).toBe("ok");
      });

      it("records the clients a session granted codes to", async () => {
        const s = session();
        await store.sessions.insert(s);
        await store.sessions.recordGrant(s.sid, "rp-1", "openid profile");
        await store.sessions.recordGrant(s.sid, "rp.2", "openid");
        expect(await store.sessions.getLive(s.sid, T0)).toMatchObject({
          permissionGranted: true,
          grants: { "rp-1": "openid profile", "rp.2": "openid" },
        });
      });

      it("touch moves lastUsedAt and the deadline", async () => {
        const s = session();
        await store.sessions.insert(s);
        await store.sessions.touch(s.sid, T0 + 1000, T0 + 2 * HOUR);
        expect(await store.sessions.getLive(s.sid, T0 + HOUR + 1)).toMatchObject({
          lastUsedAt: T0 + 1000,
          expiresAt: T0 + 2 * HOUR,
        });
      });

      it("ends one live session, or every live session of a user", async () => {
        const [a, b, c] = [session(), session(), session({ userDn: "inum=other" })];
        for (const s of [a, b, c]) await store.sessions.insert(s);
        const end = async (t: EndTarget) => (await store.sessions.endLive(t, T0, ending)).sessions;
        expect(await end({ sid: a.sid })).toEqual([a]);
        expect(await end({ sid: a.sid })).toEqual([]);
        const d = session();
        await store.sessions.insert(d);
        expect(await end({ userDn: "inum=1,ou=people,o=jans", keepSid: d.sid })).toEqual([b]);
        expect((await end({ userDn: "inum=1,ou=people,o=jans" })).map((x) => x.sid)).toEqual([d.sid]);
        expect(await end({ userDn: "inum=1,ou=people,o=jans" })).toEqual([]);
        expect(await store.sessions.count()).toBe(1);
      });

      it("ends a session in one transaction: row, revocation, refresh tokens and event, or none of them", async () => {
        const s = session();
        await store.sessions.insert(s);
        const rt = {
          tokenHash: "rt-e",
          clientId: "c",
          subject: "u",
          scopes: [],
          expiresAt: T0 + HOUR,
          sid: s.sid,
          offline: false,
          family: "f-e",
        };
        await store.refreshTokens.insert(rt);
        const failing = {
          ...ending,
          event: () => {
            throw new Error("the audit is unavailable");
          },
        };
        await expect(store.sessions.endLive({ sid: s.sid }, T0, failing)).rejects.toThrow();
        expect(await store.sessions.getLive(s.sid, T0)).toBeDefined();
        expect(await store.revocations.isTokenRevoked([`sid:${s.sid}`])).toBe(false);
        expect(await store.refreshTokens.find("rt-e")).toBeDefined();
        const ended = await store.sessions.endLive({ sid: s.sid }, T0, ending);
        expect(ended.sessions.map((x) => x.sid)).toEqual([s.sid]);
        expect(await store.revocations.isTokenRevoked([`sid:${s.sid}`])).toBe(true);
        expect(await store.refreshTokens.find("rt-e")).toBeUndefined();
        const [event] = ended.events;
        expect(event).toMatchObject({ type: "revoked", sid: s.sid });
        const listed = await store.events.list({ limit: 10, offset: 0 });
        expect(listed.entries.find((e) => e.sid === s.sid)?.id).toBe(event!.id);
      });

      it("sweeps expired sessions in batches and leaves live ones", async () => {
        const dead = Array.from({ length: 5 }, (_, i) => session({ expiresAt: T0 - 1 - i }));
        await store.sessions.insertMany([...dead, session()]);
        expect(await store.sessions.sweepExpired(T0, 3)).toHaveLength(3);
        const rest = await store.sessions.sweepExpired(T0, 3);
        expect(rest.map((r) => r.sid).sort()).toEqual(
          dead
            .slice(0, 2)
            .map((d) => d.sid)
            .sort(),
        );
        expect(await store.sessions.sweepExpired(T0, 3)).toHaveLength(0);
        expect(await store.sessions.count()).toBe(1);
      });
    });

    describe("session search", () => {
      const users = ["alice", "bob", "carol", "alice", "dave"];
      let all: SessionRecord[];
      beforeEach(async () => {
        all = users.map((u, i) =>
          session({
            userDn: `inum=${u},ou=people,o=jans`,
            createdAt: T0 - (5 - i) * 60_000,
            expiresAt: T0 + (i + 1) * 60_000,
            attributes: { auth_user: u, client_id: i % 2 ? "cli" : "portal", remote_ip: `10.0.0.${i}` },
          }),
        );
        await store.sessions.insertMany([
          ...all,
          session({ expiresAt: T0 - 1, attributes: { auth_user: "ghost" } }),
        ]);
      });
      const sids = async (q: Partial<SessionQuery>) =>
        (await store.sessions.search(query(q))).entries.map((e) => e.sid);

      it("returns live sessions only, with the total, sorted by creation", async () => {
        const page = await store.sessions.search(query());
        expect(page.total).toBe(5);
        expect(page.entries.map((e) => e.sid)).toEqual(all.map((s) => s.sid));
      });

      it("filters on columns and attributes with every operator", async () => {
        expect(await sids({ filters: [str("auth_user", "=", "alice")] })).toEqual([all[0]!.sid, all[3]!.sid]);
        expect((await sids({ filters: [str("auth_user", "!=", "alice")] })).length).toBe(3);
        expect(await sids({ filters: [str("client_id", "=", "cli"), str("auth_user", ">", "b")] })).toEqual([
          all[1]!.sid,
        ]);
        expect(await sids({ filters: [str("userDn", "=", "inum=dave,ou=people,o=jans")] })).toEqual([
          all[4]!.sid,
        ]);
        expect(await sids({ filters: [str("remote_ip", "<=", "10.0.0.1")] })).toEqual([
          all[0]!.sid,
          all[1]!.sid,
        ]);
      });

      it("filters dates as intervals at their written precision", async () => {
        const at = new Date(T0 + 3 * 60_000).toISOString().slice(0, 16).replace("T", " ");
        expect(await sids({ filters: [date("expirationDate", "=", at)] })).toEqual([all[2]!.sid]);
        expect(await sids({ filters: [date("expirationDate", ">", at)] })).toEqual([
          all[3]!.sid,
          all[4]!.sid,
        ]);
        expect(await sids({ filters: [date("expirationDate", "<", at)] })).toEqual([
          all[0]!.sid,
          all[1]!.sid,
        ]);
      });

      it("matches a pattern as a case-insensitive substring of user, sid and attributes", async () => {
        expect(await sids({ pattern: "ARO" })).toEqual([all[2]!.sid]);
        expect(await sids({ pattern: "ic" })).toEqual([all[0]!.sid, all[3]!.sid]);
        expect(await sids({ pattern: all[4]!.sid.slice(4, 12) })).toEqual([all[4]!.sid]);
        expect(await sids({ pattern: "nobody-at-all" })).toEqual([]);
      });

      it("sorts either way and pages with a stable order", async () => {
        const desc = await sids({ sortBy: "expirationDate", descending: true });
        expect(desc).toEqual(all.map((s) => s.sid).reverse());
        const page = await store.sessions.search(query({ offset: 2, limit: 2 }));
        expect(page).toMatchObject({ total: 5 });
        expect(page.entries.map((e) => e.sid)).toEqual([all[2]!.sid, all[3]!.sid]);
        expect((await store.sessions.search(query({ offset: 9 }))).entries).toEqual([]);
      });
    });

    describe("every searchable field with every operator", () => {
      // Half the sessions carry every attribute, half none: != must also match those that lack it.
      const VALUES: Record<FieldType, string> = {
        string: "v-1",
        date: new Date(T0).toISOString().slice(0, 10),
        boolean: "true",
        state: "authenticated",
      };
      const withAttrs = Object.fromEntries(SESSION_ATTRIBUTES.map((a) => [a, "v-1"]));
      const cases = Object.entries(SESSION_FIELDS).flatMap(([field, type]) =>
        OPERATORS.map((op) => ({ field, type, op })),
      );
      beforeEach(async () => {
        await store.sessions.insertMany(
          Array.from({ length: 4 }, (_, i) =>
            session({ attributes: i % 2 ? withAttrs : {}, permissionGranted: i < 2 }),
          ),
        );
      });

      it.each(cases)(
        "$field $op: answers, and = and != split the live sessions",
        async ({ field, type, op }) => {
          const filter = toFilter(field, op, VALUES[type]);
          if (typeof filter === "string") {
            expect(type).toBe("boolean"); // only booleans refuse an ordering operator
            return;
          }
          const found = (await store.sessions.search(query({ filters: [filter] }))).total;
          expect(found).toBeGreaterThanOrEqual(0);
          if (op !== "=") return;
          const other = toFilter(field, "!=", VALUES[type]) as Filter;
          const rest = (await store.sessions.search(query({ filters: [other] }))).total;
          expect(found + rest).toBe(4);
        },
      );
    });

    describe("expressions, keyset pages, handles and properties", () => {
      const realms = ["/", "/alpha", "/alpha", "/", "/beta"];
      let all: SessionRecord[];
      beforeEach(async () => {
        all = realms.map((realm, i) =>
          session({
            userDn: `inum=u${i},ou=people,o=jans`,
            realm,
            lastUsedAt: T0 - (5 - i) * 60_000,
            createdAt: T0 - 10 * 60_000,
            attributes: { auth_user: `User_${i}%`, remote_ip: `10.0.${i}.1` },
          }),
        );
        await store.sessions.insertMany(all);
      });
      const sids = async (q: Partial<SessionQuery>) =>
        (await store.sessions.search(query(q))).entries.map((e) => e.sid);
      const cmp = (field: ExprField, op: ExprOp, value: string | number): SessionExpr => ({
        kind: "cmp",
        field,
        op,
        value,
      });

      it("compiles every expression operator the same way", async () => {
        const by = { sortBy: "lastUsedAt" as const };
        expect(await sids({ ...by, expr: cmp("realm", "eq", "/alpha") })).toEqual([all[1]!.sid, all[2]!.sid]);
        expect(await sids({ ...by, expr: cmp("userId", "sw", "u") })).toHaveLength(5);
        expect(await sids({ ...by, expr: cmp("userId", "co", "3") })).toEqual([all[3]!.sid]);
        expect(await sids({ ...by, expr: cmp("lastUsedAt", "ge", T0 - 2 * 60_000) })).toEqual([
          all[3]!.sid,
          all[4]!.sid,
        ]);
        const idle = cmp("idleExpiresAt", "lt", T0 + 30 * 60_000 - 3 * 60_000);
        expect(await sids({ ...by, expr: idle, idleMs: 30 * 60_000 })).toEqual([all[0]!.sid, all[1]!.sid]);
        const not: SessionExpr = { kind: "not", item: cmp("realm", "eq", "/") };
        expect(await sids({ ...by, expr: not })).toEqual([all[1]!.sid, all[2]!.sid, all[4]!.sid]);
        const or: SessionExpr = {
          kind: "or",
          items: [cmp("realm", "eq", "/beta"), { kind: "const", value: false }],
        };
        expect(await sids({ ...by, expr: or })).toEqual([all[4]!.sid]);
        expect(await sids({ ...by, expr: { kind: "present", field: "userId" } })).toHaveLength(5);
      });

      it("pages by keyset after a cursor, either way, without counting", async () => {
        const asc = await store.sessions.search(
          query({
            sortBy: "lastUsedAt",
            after: { value: all[1]!.lastUsedAt, sid: all[1]!.sid },
            countTotal: false,
          }),
        );
        expect(asc.total).toBe(-1);
        expect(asc.entries.map((e) => e.sid)).toEqual([all[2]!.sid, all[3]!.sid, all[4]!.sid]);
        const desc = await sids({
          sortBy: "lastUsedAt",
          descending: true,
          after: { value: all[3]!.lastUsedAt, sid: all[3]!.sid },
        });
        expect(desc).toEqual([all[2]!.sid, all[1]!.sid, all[0]!.sid]);
      });

      it("takes a pattern's wildcards literally and sorts text byte-wise", async () => {
        expect(await sids({ pattern: "r_1%" })).toEqual([all[1]!.sid]);
        expect(await sids({ pattern: "%" })).toHaveLength(5);
        expect(await sids({ pattern: "_" })).toHaveLength(5);
        await store.sessions.insert(session({ attributes: { auth_user: "a-lower" } }));
        const names = (await store.sessions.search(query({ sortBy: "auth_user" }))).entries.map(
          (e) => e.attributes.auth_user,
        );
        // Upper case sorts before lower case, as bytes do.
        expect(names).toEqual(["User_0%", "User_1%", "User_2%", "User_3%", "User_4%", "a-lower"]);
      });

      it("finds a session by handle and merges properties into a live one", async () => {
        const s = all[2]!;
        expect((await store.sessions.getLiveByHandle(s.handle, T0))?.sid).toBe(s.sid);
        expect(await store.sessions.getLiveByHandle("shandle:none", T0)).toBeUndefined();
        await store.sessions.setProperties(s.sid, { a: "1", b: "2" }, T0);
        const after = await store.sessions.setProperties(s.sid, { b: "3" }, T0);
        expect(after?.properties).toEqual({ a: "1", b: "3" });
        expect((await store.sessions.getLive(s.sid, T0))?.properties).toEqual({ a: "1", b: "3" });
        expect(await store.sessions.setProperties(s.sid, { a: "x" }, s.expiresAt)).toBeUndefined();
      });

      it("never hands the same expired session to two sweepers", async () => {
        await store.sessions.insertMany(
          Array.from({ length: 60 }, (_, i) => session({ expiresAt: T0 - 1 - i })),
        );
        const batches = await Promise.all(
          Array.from({ length: 4 }, () => store.sessions.sweepExpired(T0, 10)),
        );
        const swept = batches.flat().map((r) => r.sid);
        expect(new Set(swept).size).toBe(swept.length);
        expect(swept.length).toBeGreaterThan(0);
        for (;;) if ((await store.sessions.sweepExpired(T0, 25)).length === 0) break;
        expect(await store.sessions.count()).toBe(5);
      });
    });

    describe("what the admin console reads", () => {
      const u = (name: string) => ({
        dn: `inum=${name},ou=people,o=jans`,
        username: name,
        passwordHash: "h",
        disabled: false,
        passwordChangedAt: T0,
        roles: [],
        email: null,
        realm: "/",
      });

      it("lists users by name, paged and searched", async () => {
        for (const n of ["carol", "Alice", "bob", "alina"]) await store.users.insert(u(n));
        const all = await store.users.list({ offset: 0, limit: 10 });
        expect(all.total).toBe(4);
        expect(all.entries.map((e) => e.username)).toEqual(["Alice", "alina", "bob", "carol"]);
        const page = await store.users.list({ offset: 1, limit: 2 });
        expect(page.entries.map((e) => e.username)).toEqual(["alina", "bob"]);
        const found = await store.users.list({ offset: 0, limit: 10, search: "AL" });
        expect(found).toMatchObject({ total: 2 });
        expect(found.entries.map((e) => e.username)).toEqual(["Alice", "alina"]);
      });

      it("sums up each user's live sessions: count, distinct addresses, latest use", async () => {
        const dn = (n: string) => `inum=${n},ou=people,o=jans`;
        await store.sessions.insertMany([
          session({ userDn: dn("a"), lastUsedAt: T0 - 5, attributes: { remote_ip: "10.0.0.2" } }),
          session({ userDn: dn("a"), lastUsedAt: T0 - 1, attributes: { remote_ip: "10.0.0.1" } }),
          session({ userDn: dn("a"), lastUsedAt: T0 - 3, attributes: { remote_ip: "10.0.0.2" } }),
          session({ userDn: dn("a"), expiresAt: T0 - 1, attributes: { remote_ip: "10.9.9.9" } }),
          session({ userDn: dn("a"), state: "unauthenticated", attributes: { remote_ip: "10.8.8.8" } }),
          session({ userDn: dn("b"), attributes: { remote_ip: "10.0.0.7" } }),
        ]);
        const sums = await store.sessions.liveByUsers([dn("a"), dn("b"), dn("nobody")], T0);
        expect(sums.sort((x, y) => x.userDn.localeCompare(y.userDn))).toEqual([
          { userDn: dn("a"), count: 3, addresses: ["10.0.0.1", "10.0.0.2"], lastUsedAt: T0 - 1 },
          { userDn: dn("b"), count: 1, addresses: ["10.0.0.7"], lastUsedAt: T0 },
        ]);
        expect(await store.sessions.liveByUsers([], T0)).toEqual([]);
      });

      it("raises an alarm once while it is open, and again after it is acknowledged", async () => {
        const alarm = {
          kind: "ip_spread" as const,
          userDn: "inum=a",
          username: "a",
          raisedAt: T0,
          detail: { addresses: "4" },
        };
        const raised = await Promise.all([1, 2, 3].map(() => store.alarms.raise(alarm)));
        expect(raised.filter((id) => id !== undefined)).toHaveLength(1);
        const id = raised.find((x) => x !== undefined)!;
        expect(await store.alarms.list({ open: true, limit: 10, offset: 0 })).toMatchObject({
          total: 1,
          entries: [
            { id, kind: "ip_spread", userDn: "inum=a", detail: { addresses: "4" }, acknowledgedAt: null },
          ],
        });
        expect(await store.alarms.acknowledge(id, "admin", T0 + 1)).toBe(true);
        expect(await store.alarms.acknowledge(id, "admin", T0 + 2)).toBe(false);
        expect(await store.alarms.acknowledge(9999, "admin", T0)).toBe(false);
        expect((await store.alarms.list({ open: true, limit: 10, offset: 0 })).total).toBe(0);
        const again = await store.alarms.raise({ ...alarm, raisedAt: T0 + 5 });
        expect(again).toBeDefined();
        const mine = await store.alarms.list({ userDn: "inum=a", limit: 10, offset: 0 });
        expect(mine.entries.map((a) => [a.id, a.acknowledgedBy])).toEqual([
          [again, null],
          [id, "admin"],
        ]);
      });

      it("locks a name until a time an admin chose", async () => {
        await store.loginAttempts.lock("mallory", T0 + 60_000, T0);
        expect((await store.loginAttempts.state("mallory", T0)).lockedUntil).toBe(T0 + 60_000);
        expect(
          await store.loginAttempts.reserve("mallory", T0, { threshold: 3, lockUntil: T0, pendingTtlMs: 1 }),
        ).toEqual({
          ok: false,
          reason: "locked",
          lockedUntil: T0 + 60_000,
        });
        await store.loginAttempts.unlock("mallory");
        expect((await store.loginAttempts.state("mallory", T0)).lockedUntil).toBe(0);
      });
    });

    describe("users and lockout", () => {
      const user = {
        dn: "inum=u1",
        username: "ursula",
        passwordHash: "h",
        disabled: false,
        passwordChangedAt: T0,
        roles: ["api-admin"],
        email: "u@example.com",
        realm: "/alpha",
      };
      const policy = (now: number) => ({ threshold: 3, lockUntil: now + 60_000, pendingTtlMs: 30_000 });

      it("stores users by unique name, disables them and sets passwords", async () => {
        await store.users.insert(user);
        expect(await store.users.getByName("ursula")).toEqual(user);
        expect(await store.users.getByDn("inum=u1")).toEqual(user);
        expect(await store.users.getByName("nobody")).toBeUndefined();
        for (const [attr, value] of [
          ["uid", "ursula"],
          ["mail", "u@example.com"],
          ["dn", "inum=u1"],
        ] as const)
          expect((await store.users.findBy(attr, value))?.dn).toBe("inum=u1");
        expect(await store.users.findBy("mail", "nobody@example.com")).toBeUndefined();
        await expect(store.users.insert({ ...user, dn: "inum=u2" })).rejects.toThrow();
        expect(await store.users.setDisabled("inum=u1", true)).toBe(true);
        expect(await store.users.setPassword("inum=u1", "h2", T0 + 5)).toBe(true);
        expect(await store.users.getByDn("inum=u1")).toEqual({
          ...user,
          disabled: true,
          passwordHash: "h2",
          passwordChangedAt: T0 + 5,
        });
        expect(await store.users.setDisabled("inum=none", true)).toBe(false);
        expect(await store.users.count()).toBe(1);
      });

      it("reserves at most the threshold of attempts at once, whatever the parallelism", async () => {
        const r = await Promise.all(
          Array.from({ length: 20 }, () => store.loginAttempts.reserve("x", T0, policy(T0))),
        );
        expect(r.filter((x) => x.ok)).toHaveLength(3);
        expect(r.filter((x) => !x.ok && x.reason === "busy")).toHaveLength(17);
      });

      it("locks at the threshold of settled failures; a success clears the count unless locked meanwhile", async () => {
        for (let i = 0; i < 2; i++) {
          expect(await store.loginAttempts.reserve("x", T0, policy(T0))).toEqual({ ok: true });
          expect(await store.loginAttempts.settle("x", false, T0, policy(T0))).toBe("ok");
        }
        expect(await store.loginAttempts.state("x", T0)).toEqual({ failures: 2, pending: 0, lockedUntil: 0 });
        await store.loginAttempts.reserve("x", T0, policy(T0));
        await store.loginAttempts.settle("x", true, T0, policy(T0));
        expect(await store.loginAttempts.state("x", T0)).toMatchObject({ failures: 0 });
        // Three in flight: two fail and lock the name before the third (a correct one) settles.
        for (let i = 0; i < 3; i++) await store.loginAttempts.reserve("x", T0, policy(T0));
        await store.loginAttempts.settle("x", false, T0, policy(T0));
        await store.loginAttempts.settle("x", false, T0, policy(T0));
        await store.loginAttempts.settle("x", false, T0, policy(T0));
        expect(await store.loginAttempts.state("x", T0)).toEqual({
          failures: 3,
          pending: 0,
          lockedUntil: T0 + 60_000,
        });
        expect(await store.loginAttempts.reserve("x", T0 + 1, policy(T0))).toEqual({
          ok: false,
          reason: "locked",
          lockedUntil: T0 + 60_000,
        });
        // The lock ends on time and the count starts afresh.
        expect(await store.loginAttempts.reserve("x", T0 + 60_000, policy(T0 + 60_000))).toEqual({
          ok: true,
        });
        await store.loginAttempts.unlock("x");
      });

      it("a success settled after others locked the name is refused", async () => {
        for (let i = 0; i < 3; i++) await store.loginAttempts.reserve("y", T0, policy(T0));
        await store.loginAttempts.settle("y", false, T0, policy(T0));
        await store.loginAttempts.settle("y", false, T0, policy(T0));
        await store.loginAttempts.settle("y", false, T0, policy(T0));
        await store.loginAttempts.reserve("z", T0, policy(T0));
        expect(await store.loginAttempts.settle("y", true, T0, policy(T0))).toBe("locked");
      });

      it("forgets reservations of a crashed evaluator, and stale names", async () => {
        for (let i = 0; i < 3; i++) await store.loginAttempts.reserve("w", T0, policy(T0));
        expect((await store.loginAttempts.reserve("w", T0 + 1000, policy(T0))).ok).toBe(false);
        expect((await store.loginAttempts.reserve("w", T0 + 31_000, policy(T0))).ok).toBe(true);
        await store.loginAttempts.settle("w", true, T0 + 31_000, policy(T0));
        expect(await store.loginAttempts.purgeStale(T0 + 40_000, T0 + 40_000)).toBe(1);
      });
    });

    describe("clients, keys and grants", () => {
      it("stores clients with their scopes", async () => {
        const c = {
          clientId: "c1",
          secretHash: "s",
          scopes: ["a", "b"],
          name: "ci",
          createdAt: T0,
          type: "public" as const,
          redirectUris: ["https://rp.example/cb"],
          postLogoutRedirectUris: ["https://rp.example/bye"],
          userinfoJwt: true,
          backchannelLogoutUri: null,
          backchannelLogoutSessionRequired: false,
        };
        await store.clients.insert(c);
        expect(await store.clients.get("c1")).toEqual(c);
        expect(await store.clients.count()).toBe(1);
        expect(await store.clients.withBackchannel()).toEqual([]);
        const uri = "https://rp.example/bc?x=1";
        const changes = { backchannelLogoutUri: uri, backchannelLogoutSessionRequired: true };
        expect(await store.clients.update("c1", changes)).toEqual({ ...c, ...changes });
        expect(await store.clients.withBackchannel()).toEqual([{ ...c, ...changes }]);
        expect(await store.clients.update("nope", changes)).toBeUndefined();
        expect(await store.clients.update("c1", { backchannelLogoutUri: null })).toMatchObject({
          backchannelLogoutUri: null,
        });
        expect(await store.clients.withBackchannel()).toEqual([]);
      });

      it("returns the newest signing key", async () => {
        expect(await store.keys.current()).toBeUndefined();
        await store.keys.insert({ kid: "k1", privateJwk: "p1", publicJwk: "q1", createdAt: T0 });
        await store.keys.insert({ kid: "k2", privateJwk: "p2", publicJwk: "q2", createdAt: T0 + 1 });
        expect((await store.keys.current())?.kid).toBe("k2");
        expect((await store.keys.get("k1"))?.publicJwk).toBe("q1");
        expect((await store.keys.all()).map((k) => k.kid)).toEqual(["k2", "k1"]);
      });

      it("updates device codes and finds them by user code", async () => {
        const d = deviceCode("dh", "BCDF-GHJK");
        await store.deviceCodes.insert(d);
        await store.deviceCodes.update("dh", { status: "approved", userDn: "inum=1", intervalSeconds: 10 });
        expect(await store.deviceCodes.getByUserCode("BCDF-GHJK")).toEqual({
          ...d,
          status: "approved",
          userDn: "inum=1",
          intervalSeconds: 10,
        });
        expect(await store.deviceCodes.get("missing")).toBeUndefined();
        const won = await Promise.all(Array.from({ length: 8 }, () => store.deviceCodes.redeem("dh", T0)));
        expect(won.filter(Boolean)).toHaveLength(1);
        expect((await store.deviceCodes.get("dh"))?.status).toBe("used");
        expect(await store.deviceCodes.redeem("dh", T0)).toBeUndefined();
        // Disabling a user voids the approvals no client has redeemed yet, and only those.
        await store.deviceCodes.insert({
          ...(await store.deviceCodes.get("dh"))!,
          deviceCodeHash: "d2",
          userCode: "WXYZ-BCDF",
          status: "approved",
        });
        expect(await store.deviceCodes.denyApprovedBy((await store.deviceCodes.get("dh"))!.userDn!)).toBe(1);
        expect((await store.deviceCodes.get("d2"))?.status).toBe("denied");
        expect((await store.deviceCodes.get("dh"))?.status).toBe("used");
        expect(await store.deviceCodes.purgeExpired(T0 + 600_000)).toBe(2);
      });

      it("a decision lands once, only on a pending, unexpired code (never after redemption)", async () => {
        const d = deviceCode("dd", "DCDF-GHJK");
        await store.deviceCodes.insert(d);
        await store.deviceCodes.insert({ ...d, deviceCodeHash: "de", userCode: "EEEE-GHJK", expiresAt: T0 });
        expect(await store.deviceCodes.decide("de", "approved", "inum=1", T0)).toBe(false);
        const decided = await Promise.all(
          ["approved", "denied", "approved", "denied"].map((x, i) =>
            store.deviceCodes.decide("dd", x as "approved" | "denied", `inum=${i}`, T0),
          ),
        );
        expect(decided.filter(Boolean)).toHaveLength(1);
        const first = await store.deviceCodes.get("dd");
        if (first?.status === "approved") expect(await store.deviceCodes.redeem("dd", T0)).toBeDefined();
        // After redemption (or a denial) a late approval changes nothing: a used code is never approved again.
        expect(await store.deviceCodes.decide("dd", "approved", "inum=9", T0)).toBe(false);
        expect((await store.deviceCodes.get("dd"))?.status).toBe(
          first?.status === "approved" ? "used" : "denied",
        );
        expect(await store.deviceCodes.decide("missing", "approved", "inum=1", T0)).toBe(false);
      });

      it("hands a refresh token out once, never after it expires", async () => {
        const r = {
          tokenHash: "rh",
          clientId: "c1",
          subject: "s",
          scopes: ["a"],
          expiresAt: T0 + 1000,
          sid: "sid-1",
          offline: false,
          family: "fam-1",
        };
        await store.refreshTokens.insert(r);
        await store.refreshTokens.insert({ ...r, tokenHash: "old", expiresAt: T0 });
        const taken = await Promise.all([
          store.refreshTokens.take("rh", T0),
          store.refreshTokens.take("rh", T0),
        ]);
        expect(taken.filter(Boolean)).toEqual([r]);
        expect(await store.refreshTokens.take("old", T0)).toBeUndefined();
        // A used token is remembered (reuse detection) until it expires; a fresh one is not used.
        expect(await store.refreshTokens.find("rh")).toEqual({ token: r, used: true });
        expect(await store.refreshTokens.find("old")).toEqual({
          token: { ...r, tokenHash: "old", expiresAt: T0 },
          used: false,
        });
        expect(await store.refreshTokens.find("nope")).toBeUndefined();
        await store.refreshTokens.insert({ ...r, tokenHash: "f2", family: "fam-2" });
        expect(await store.refreshTokens.deleteFamily("fam-2")).toBe(1);
        expect(await store.refreshTokens.find("f2")).toBeUndefined();
        await store.refreshTokens.insert({ ...r, tokenHash: "s1" });
        await store.refreshTokens.insert({ ...r, tokenHash: "s2", subject: "other" });
        expect(await store.refreshTokens.deleteBySubject("s")).toBe(3);
        expect(await store.refreshTokens.purgeExpired(T0 + 1000)).toBe(1);
      });

      it("hands an authorization code out once", async () => {
        const code = {
          codeHash: "ch",
          clientId: "rp",
          redirectUri: "https://rp/cb",
          sid: "s1",
          userDn: "inum=1",
          scopes: ["openid"],
          nonce: "n",
          codeChallenge: null,
          authTime: T0,
          acr: "simple_password_auth",
          expiresAt: T0 + 60_000,
        };
        await store.authorizationCodes.insert(code);
        const taken = await Promise.all([
          store.authorizationCodes.take("ch", T0),
          store.authorizationCodes.take("ch", T0),
        ]);
        expect(taken.filter(Boolean)).toEqual([code]);
        // A redeemed code is remembered, so a replay can be told from an unknown code.
        expect(await store.authorizationCodes.redeemedBy("ch")).toBe("rp");
        expect(await store.authorizationCodes.redeemedBy("nope")).toBeUndefined();
        await store.authorizationCodes.insert({ ...code, codeHash: "old", expiresAt: T0 });
        expect(await store.authorizationCodes.redeemedBy("old")).toBeUndefined();
        expect(await store.authorizationCodes.take("old", T0)).toBeUndefined();
        expect(await store.authorizationCodes.purgeExpired(T0)).toBe(1);
      });

      it("appends session events and lists them newest first, filtered and paged", async () => {
        const base = {
          sid: "s1",
          userDn: "inum=1",
          username: "alice",
          clientId: null,
          actorType: "user" as const,
          actor: "alice",
          remoteIp: "10.0.0.1",
          detail: {},
        };
        const a = await store.events.append({ ...base, at: T0, type: "authenticated" });
        const b = await store.events.append({
          ...base,
          at: T0 + 1,
          type: "revoked",
          actorType: "client",
          actor: "c1",
          detail: { why: "test" },
        });
        await store.events.append({ ...base, at: T0 + 2, type: "ended", userDn: "inum=2" });
        const all = await store.events.list({ limit: 10, offset: 0 });
        expect(all.total).toBe(3);
        expect(all.entries.map((e) => e.id).slice(1)).toEqual([b, a]);
        const mine = await store.events.list({ userDn: "inum=1", types: ["revoked"], limit: 10, offset: 0 });
        expect(mine.entries).toEqual([
          {
            ...base,
            id: b,
            at: T0 + 1,
            type: "revoked",
            actorType: "client",
            actor: "c1",
            detail: { why: "test" },
          },
        ]);
        expect(await store.events.purgeBefore(T0 + 2)).toBe(2);
      });

      it("records revoked token ids, idempotently", async () => {
        await store.revocations.revoke("j1", T0);
        await store.revocations.revoke("j1", T0);
        expect(await store.revocations.isTokenRevoked(["j1"])).toBe(true);
        expect(await store.revocations.isTokenRevoked(["j2"])).toBe(false);
        expect(await store.revocations.isTokenRevoked(["j2", "sid:x"])).toBe(false);
        await store.revocations.revoke("sid:x", T0 + 5);
        expect(await store.revocations.isTokenRevoked(["j2", "sid:x"])).toBe(true);
        expect(await store.revocations.isTokenRevoked([], { subject: "u", issuedAt: 0 })).toBe(false);
        expect(await store.revocations.isTokenRevoked([])).toBe(false);
        await store.revocations.revokeSubject("u", T0);
        await store.revocations.revokeSubject("u", T0 - 5);
        // The later of the two instants is kept.
        expect(await store.revocations.isTokenRevoked([], { subject: "u", issuedAt: T0 })).toBe(true);
        // The folded check: keys, or the subject revoked at or after the token's issue instant.
        expect(await store.revocations.isTokenRevoked(["j2"], { subject: "u", issuedAt: T0 + 1 })).toBe(
          false,
        );
        expect(await store.revocations.isTokenRevoked(["j2"], { subject: "u", issuedAt: T0 })).toBe(true);
        expect(await store.revocations.isTokenRevoked(["j2"], { subject: "other", issuedAt: 0 })).toBe(false);
        expect(
          await store.revocations.isTokenRevoked(["j2", "sid:x"], { subject: "other", issuedAt: 0 }),
        ).toBe(true);
        expect(await store.revocations.isTokenRevoked(["j2", "sid:x"])).toBe(true);
        expect(await store.revocations.isTokenRevoked(["j2"])).toBe(false);
        expect(await store.revocations.purgeExpired(T0 + 1)).toBe(1);
        expect(await store.revocations.isTokenRevoked(["sid:x"])).toBe(true);
        expect(await store.healthy()).toBe(true);
        await store.reclaim();
      });
    });

    describe("outbox and streams", () => {
      const due = (over: Partial<OutboxRecord> = {}): OutboxRecord => ({
        id: randomUUID(),
        kind: "backchannel",
        target: "rp1",
        sid: "s1",
        userDn: "inum=1,ou=people,o=jans",
        payload: { sub: "1", sid: "s1" },
        createdAt: T0,
        nextAttemptAt: T0,
        attempts: 0,
        state: "pending",
        outcome: null,
        ...over,
      });
      const owing = (ended: SessionRecord[]) => ended.map((s) => due({ sid: s.sid, target: `rp-${s.sid}` }));

      it("writes an ending's deliveries in its transaction, and none when it rolls back", async () => {
        const s = session();
        await store.sessions.insert(s);
        const failing = {
          ...ending,
          outbox: owing,
          event: () => {
            throw new Error("the audit is unavailable");
          },
        };
        await expect(store.sessions.endLive({ sid: s.sid }, T0, failing)).rejects.toThrow();
        expect(await store.outbox.bySid(s.sid)).toEqual([]);
        await store.sessions.endLive({ sid: s.sid }, T0, { ...ending, outbox: owing });
        expect((await store.outbox.bySid(s.sid)).map((o) => o.target)).toEqual([`rp-${s.sid}`]);
      });

      it("writes a replaced session's revocation and deliveries with its replacement", async () => {
        const old = session();
        await store.sessions.insert(old);
        const next = session();
        const cap = { max: 10, now: T0 };
        expect(
          await store.sessions.rotate(old.sid, next, cap, { revokeUntil: T0 + HOUR, outbox: owing }),
        ).toBe("ok");
        expect(await store.revocations.isTokenRevoked([`sid:${old.sid}`])).toBe(true);
        expect(await store.outbox.bySid(old.sid)).toHaveLength(1);
        expect(await store.outbox.bySid(next.sid)).toEqual([]);
      });

      it("writes an expired session's deliveries with its sweep", async () => {
        const dead = session({ expiresAt: T0 - 1 });
        await store.sessions.insertMany([dead, session()]);
        expect(await store.sessions.sweepExpired(T0, 10, { outbox: owing })).toHaveLength(1);
        expect(await store.outbox.bySid(dead.sid)).toHaveLength(1);
      });

      it("claims due pushes once under a lease, settles them, and keeps polled ones for acknowledgement", async () => {
        const a = due({ nextAttemptAt: T0 - 5 });
        const b = due({ nextAttemptAt: T0 + 50_000 });
        const p = due({ kind: "ssf-poll", target: "st1" });
        await store.outbox.add([a, b, p]);
        const [first, second] = await Promise.all([
          store.outbox.claim(T0, T0 + 1000, 10),
          store.outbox.claim(T0, T0 + 1000, 10),
        ]);
        const claimed = [...first!, ...second!];
        expect(claimed.map((o) => o.id)).toEqual([a.id]);
        expect(claimed[0]).toMatchObject({ attempts: 1, nextAttemptAt: T0 + 1000, payload: a.payload });
        // Leased: not claimed again before the lease ends.
        expect(await store.outbox.claim(T0 + 10, T0 + 2000, 10)).toEqual([]);
        await store.outbox.settle(a.id, { state: "pending", nextAttemptAt: T0 + 3000, outcome: "HTTP 503" });
        expect((await store.outbox.claim(T0 + 2999, T0 + 9000, 10)).map((o) => o.id)).toEqual([]);
        const again = await store.outbox.claim(T0 + 3000, T0 + 9000, 10);
        expect(again.map((o) => [o.id, o.attempts])).toEqual([[a.id, 2]]);
        await store.outbox.settle(a.id, { state: "delivered", nextAttemptAt: T0, outcome: "HTTP 200" });
        expect((await store.outbox.claim(T0 + 99_999, T0 + 99_999, 10)).map((o) => o.id)).toEqual([b.id]);
        expect((await store.outbox.pending("st1", 10)).map((o) => o.id)).toEqual([p.id]);
        expect(await store.outbox.acknowledge("st1", [p.id, "other"], T0)).toBe(1);
        expect(await store.outbox.pending("st1", 10)).toEqual([]);
        expect((await store.outbox.bySid("s1")).find((o) => o.id === a.id)).toMatchObject({
          state: "delivered",
          outcome: "HTTP 200",
        });
        // Expanding writes each delivery once, however often it runs.
        const child = due({ target: "rp9", sid: "s9" });
        await store.outbox.expand([child]);
        await store.outbox.expand([child]);
        expect(await store.outbox.bySid("s9")).toEqual([child]);
        await store.outbox.settle(child.id, { state: "failed", nextAttemptAt: T0, outcome: "x" });
        expect(await store.outbox.purge(T0 + 1)).toBe(3);
        expect(await store.outbox.dropTarget("rp1")).toBe(1);
        expect(await store.outbox.bySid("s1")).toEqual([]);
      });

      it("stores streams, lists a client's and the active ones, updates and deletes them", async () => {
        const st: StreamRecord = {
          id: "st1",
          clientId: "c1",
          audience: "c1",
          method: "push",
          endpointUrl: "https://rx.example/events",
          authorizationHeader: "Bearer x",
          eventsRequested: ["e1"],
          description: null,
          status: "enabled",
          reason: null,
          subjects: [],
          createdAt: T0,
          updatedAt: T0,
        };
        await store.streams.insert(st);
        await store.streams.insert({ ...st, id: "st2", clientId: "c2", status: "disabled" });
        expect(await store.streams.get("st1")).toEqual(st);
        expect((await store.streams.ofClient("c1")).map((x) => x.id)).toEqual(["st1"]);
        expect((await store.streams.active()).map((x) => x.id)).toEqual(["st1"]);
        const changed = { ...st, subjects: ["user:u"], status: "paused" as const, updatedAt: T0 + 1 };
        expect(await store.streams.update(changed)).toBe(true);
        expect(await store.streams.get("st1")).toEqual(changed);
        expect(await store.streams.update({ ...changed, clientId: "c2" })).toBe(false);
        expect(await store.streams.delete("st1")).toBe(true);
        expect(await store.streams.delete("st1")).toBe(false);
        expect(await store.streams.get("st1")).toBeUndefined();
      });
    });
  });
}
