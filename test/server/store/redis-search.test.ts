import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Filter, toFilter } from "../../../src/server/core/session-fields.js";
import type { ExprField, SessionExpr, SortField } from "../../../src/server/store/query.js";
import { withRedisSessions } from "../../../src/server/store/redis/store.js";
import { SqliteStore } from "../../../src/server/store/sqlite/store.js";
import type { SessionQuery, SessionRecord, Store } from "../../../src/server/store/types.js";
import { OPERATORS } from "../../../src/shared/field-value-pair.js";
import { openTestPgStore } from "../../helpers/postgres.js";
import { openTestRedis, stopOwnRedis } from "../../helpers/redis.js";

// Search over sessions in Redis answers as the database does: the same sessions in PostgreSQL
// and in Redis, any query (fieldValuePair filters, _queryFilter expressions, patterns, sorts,
// pages, keyset cursors), the same total and the same page.

const T0 = Date.UTC(2026, 5, 1, 12);
const MIN = 60_000;
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

function sessions(n: number): SessionRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const authed = i % 3 !== 0;
    const attrs: Record<string, string> = {};
    if (i % 4 !== 1) attrs.client_id = pick(["portal", "mobile", "cli"], i);
    if (authed) attrs.auth_user = pick(["alice", "bob", "Carol", "dave"], i * 7);
    if (i % 5 !== 2) attrs.remote_ip = `10.0.0.${i % 6}`;
    if (i % 2) attrs.acr = pick(["simple_password_auth", "otp"], i);
    const sid = `s-${String(i).padStart(3, "0")}-${pick(["x", "y", "z"], i * 5)}`;
    return {
      id: `rec-${sid}`,
      sid,
      cookieHash: `hash-${sid}`,
      userDn: authed ? `inum=${pick(["u1", "u2", "u3", "u4"], i * 3)},ou=people,o=jans` : null,
      state: authed ? "authenticated" : "unauthenticated",
      createdAt: T0 - (i % 17) * MIN,
      lastUsedAt: T0 - (i % 11) * MIN,
      authTime: authed ? T0 - (i % 13) * MIN : null,
      absoluteExpiresAt: T0 + (60 + (i % 7)) * MIN,
      // A few already expired, the rest live for minutes to hours.
      expiresAt: T0 + ((i % 9) - 1) * 7 * MIN,
      permissionGranted: i % 4 === 0,
      attributes: attrs,
      secure: false,
      grants: {},
      handle: `shandle:${sid}`,
      realm: i % 5 === 0 ? "/alpha" : "/",
      properties: {},
    };
  });
}

const FIELD_VALUES: Record<string, string[]> = {
  sid: ["s-010-y", "s-1"],
  userDn: ["inum=u2,ou=people,o=jans", "inum=u9,ou=people,o=jans"],
  state: ["authenticated", "unauthenticated"],
  client_id: ["portal", "mobile", "zzz"],
  auth_user: ["alice", "Carol"],
  remote_ip: ["10.0.0.3"],
  acr: ["otp"],
  permissionGranted: ["true", "false"],
  expirationDate: ["2026-06-01", "2026-06-01T12:30"],
  creationDate: ["2026-06-01T11:50"],
  lastUsedAt: ["2026-06-01T11:55"],
  authenticationTime: ["2026-06-01T11:52"],
};

const filterArb: fc.Arbitrary<Filter> = fc
  .tuple(fc.constantFrom(...Object.keys(FIELD_VALUES)), fc.constantFrom(...OPERATORS), fc.nat())
  .map(([field, op, i]) => toFilter(field, op, pick(FIELD_VALUES[field] ?? [], i)))
  .filter((f): f is Filter => typeof f !== "string");

const exprArb: fc.Arbitrary<SessionExpr> = fc.letrec<{ e: SessionExpr }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small" },
    fc.record({
      kind: fc.constant("cmp" as const),
      field: fc.constantFrom<ExprField>("userId", "realm"),
      op: fc.constantFrom("eq" as const, "co" as const, "sw" as const, "gt" as const),
      value: fc.constantFrom("u2", "u", "/alpha", "/"),
    }),
    fc.record({
      kind: fc.constant("cmp" as const),
      field: fc.constantFrom<ExprField>("lastUsedAt", "idleExpiresAt", "absoluteExpiresAt"),
      op: fc.constantFrom("ge" as const, "lt" as const, "eq" as const),
      value: fc.constantFrom(T0 - 5 * MIN, T0 + 62 * MIN, T0 + 55 * MIN),
    }),
    fc.record({
      kind: fc.constant("present" as const),
      field: fc.constantFrom<ExprField>("userId", "realm"),
    }),
    fc.record({ kind: fc.constant("not" as const), item: tie("e") }),
    fc.record({
      kind: fc.constantFrom("and" as const, "or" as const),
      items: fc.array(tie("e"), { minLength: 1, maxLength: 3 }),
    }),
  ),
})).e;

const SORTS: (SortField | ExprField)[] = [
  "sid",
  "creationDate",
  "lastUsedAt",
  "expirationDate",
  "client_id",
  "auth_user",
  "userId",
  "realm",
  "absoluteExpiresAt",
  "authenticationTime",
];

const queryArb: fc.Arbitrary<SessionQuery> = fc.record({
  now: fc.constantFrom(T0, T0 + 20 * MIN),
  filters: fc.array(filterArb, { maxLength: 2 }),
  expr: fc.option(exprArb, { nil: undefined }),
  idleMs: fc.constant(30 * MIN),
  pattern: fc.constantFrom("", "", "ALI", "10.0.0.2", "-01"),
  sortBy: fc.constantFrom(...SORTS),
  descending: fc.boolean(),
  offset: fc.constantFrom(0, 0, 3),
  limit: fc.constantFrom(5, 50),
});

/** The admin list's default (no filter, by creation or expiry), which Redis serves from its order. */
const plainArb: fc.Arbitrary<SessionQuery> = fc.record({
  now: fc.constantFrom(T0, T0 + 20 * MIN),
  filters: fc.constant([]),
  pattern: fc.constant(""),
  sortBy: fc.constantFrom<SortField>("creationDate", "expirationDate"),
  descending: fc.boolean(),
  offset: fc.constantFrom(0, 1, 7, 60, 200),
  limit: fc.constantFrom(1, 5, 50),
  countTotal: fc.boolean(),
});

let pg: Store;
let redis: Store;
beforeAll(async () => {
  const data = sessions(120);
  pg = await openTestPgStore();
  const { conn, prefix } = await openTestRedis();
  redis = withRedisSessions(new SqliteStore({ path: ":memory:" }), conn, prefix);
  await pg.sessions.insertMany(data);
  await redis.sessions.insertMany(data);
});
afterAll(async () => {
  await pg?.close();
  await redis?.close();
  await stopOwnRedis();
});

const sids = (xs: SessionRecord[]) => xs.map((s) => s.sid);

describe("search over sessions in Redis equals PostgreSQL's", () => {
  it("the same total and page for any query", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(queryArb, plainArb), async (q) => {
        const [a, b] = await Promise.all([pg.sessions.search(q), redis.sessions.search(q)]);
        expect(b.total).toBe(a.total);
        expect(sids(b.entries)).toEqual(sids(a.entries));
      }),
      { numRuns: 300 },
    );
  });

  it("the same keyset pages, walked to the end", async () => {
    await fc.assert(
      fc.asyncProperty(queryArb, async (q0) => {
        const q = {
          ...q0,
          offset: 0,
          limit: 7,
          sortBy: q0.sortBy === "authenticationTime" ? "sid" : q0.sortBy,
        };
        for (let page = 0, after: SessionQuery["after"]; page < 30; page++) {
          const qq = { ...q, ...(after ? { after } : {}) };
          const [a, b] = await Promise.all([pg.sessions.search(qq), redis.sessions.search(qq)]);
          expect(sids(b.entries)).toEqual(sids(a.entries));
          const last = a.entries.at(-1);
          if (!last || a.entries.length < q.limit) return;
          const key = q.sortBy as string;
          const value = (
            {
              sid: last.sid,
              creationDate: last.createdAt,
              lastUsedAt: last.lastUsedAt,
              expirationDate: last.expiresAt,
              absoluteExpiresAt: last.absoluteExpiresAt,
              realm: last.realm,
              userId: last.userDn?.slice(5, 7) ?? null,
              client_id: last.attributes.client_id ?? null,
              auth_user: last.attributes.auth_user ?? null,
            } as Record<string, string | number | null>
          )[key];
          if (value === null || value === undefined) return;
          after = { value, sid: last.sid };
        }
      }),
      { numRuns: 60 },
    );
  });
});
