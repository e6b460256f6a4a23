import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ACTIONS } from "../../src/server/api/pingam/actions.js";
import { AM_OPERATION_SCOPES, SCOPE } from "../../src/server/core/oauth/scopes.js";
import { userIdOfDn } from "../../src/server/store/query.js";
import { must } from "../helpers/must.js";
import { type SeedWorld, seedWorld } from "../helpers/pingam-world.js";
import { cookieOf, PASSWORD } from "../helpers/server-harness.js";

// The PingAM face beyond the seed's examples: idle-time semantics and write frequency, realms,
// scopes, versions, the query language and paging, and the errors of each.

const ALPHA = "/am/json/realms/root/realms/alpha/sessions";
const ROOT_PATH = "/am/json/realms/root/sessions";
const V = { "accept-api-version": "resource=4.0, protocol=1.0" };

let w: SeedWorld;
beforeEach(async () => {
  w = await seedWorld();
});
afterEach(() => w.h.close());

async function act(
  action: string,
  body: unknown,
  opts: { path?: string; token?: string; query?: string } = {},
) {
  const res = await w.h.app.request(`${opts.path ?? ALPHA}?_action=${action}${opts.query ?? ""}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${opts.token ?? w.accessToken}`,
      "content-type": "application/json",
      ...V,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

async function query(params: Record<string, string>, opts: { path?: string; token?: string } = {}) {
  const res = await w.h.app.request(`${opts.path ?? ALPHA}?${new URLSearchParams(params)}`, {
    headers: { authorization: `Bearer ${opts.token ?? w.accessToken}`, ...V },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Moves the clock, with a fresh access token (they live five minutes). */
async function advance(ms: number) {
  w.h.clock.advance(ms);
  w.accessToken = await w.h.token();
}

const info = async (token = w.tokens[0]) => (await act("getSessionInfo", { tokenId: token })).body;

describe("idle time", () => {
  it("getSessionInfo leaves it alone; getSessionInfoAndResetIdleTime resets it", async () => {
    const before = await info();
    await advance(5 * 60_000);
    expect(await info()).toEqual(before);
    const reset = (await act("getSessionInfoAndResetIdleTime", { tokenId: w.tokens[0] })).body;
    expect(reset.latestAccessTime).toBe(new Date(w.h.clock.now()).toISOString().replace(".000Z", "Z"));
    expect(Date.parse(reset.maxIdleExpirationTime as string)).toBe(w.h.clock.now() + 1800_000);
    expect(reset.maxSessionExpirationTime).toBe(before.maxSessionExpirationTime);
  });

  it("validate with refresh=false does not move latestAccessTime; without it, it does", async () => {
    const before = await info();
    await advance(5 * 60_000);
    expect((await act("validate", { tokenId: w.tokens[0] }, { query: "&refresh=false" })).body.valid).toBe(
      true,
    );
    expect((await info()).latestAccessTime).toBe(before.latestAccessTime);
    await act("validate", { tokenId: w.tokens[0] });
    expect((await info()).latestAccessTime).not.toBe(before.latestAccessTime);
  });

  it("1,000 validates of one session within a minute write its idle reset at most twice", async () => {
    const stats = w.h.deps.stats;
    const start = stats.idleResetWrites;
    for (let i = 0; i < 1000; i++) {
      w.h.clock.advance(60);
      expect((await act("validate", { tokenId: w.tokens[0] })).body.valid).toBe(true);
    }
    const writes = stats.idleResetWrites - start;
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThanOrEqual(2);
    // The session stayed alive throughout and its idle deadline moved.
    expect(Date.parse((await info()).latestAccessTime as string)).toBeGreaterThan(w.h.clock.now() - 61_000);
  });

  it("refresh reports the timeouts in the seed's units", async () => {
    await advance(10 * 60_000);
    const r = (await act("refresh", { tokenId: w.tokens[0] })).body;
    expect(r).toMatchObject({ idletime: 0, maxidletime: 30, maxsessiontime: 120, realm: "/alpha" });
    // Created 12 minutes ago with 120 minutes in all: 108 minutes left, in seconds.
    expect(r.maxtime).toBe(108 * 60);
  });
});

describe("tokens, handles and realms", () => {
  it("an unknown, expired or pre-login token is invalid, never an error", async () => {
    expect((await act("validate", { tokenId: "nope" })).body).toEqual({ valid: false });
    const anon = await w.h.deps.sessions.create("unauthenticated", null, {}, { secure: false });
    expect(anon.ok).toBe(true);
    if (anon.ok)
      expect((await act("validate", { tokenId: anon.value.cookie })).body).toEqual({ valid: false });
    const missing = await act("getSessionInfo", { tokenId: "nope" });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: 404, reason: "Not Found", message: "Session not found or expired" });
    await advance(31 * 60_000);
    expect((await act("validate", { tokenId: w.tokens[0] })).body).toEqual({ valid: false });
    expect((await act("logout", { tokenId: w.tokens[0] })).body).toEqual({ result: "Token has expired" });
  });

  it("a handle is not a token, and a token is not a handle", async () => {
    expect((await act("validate", { tokenId: w.handles[0] })).body).toEqual({ valid: false });
    const r = await act("logoutByHandle", { sessionHandles: [w.tokens[0]] });
    expect(r.body).toEqual({ result: { [w.tokens[0]!]: false } });
    expect(await w.h.deps.sessions.byToken(w.tokens[0]!)).toBeDefined();
  });

  it("a realm sees its own sessions; the root realm sees every realm's", async () => {
    must(await w.h.deps.users.create("bob", PASSWORD, { realm: "/beta" }));
    const bob = cookieOf(await w.h.login("bob"));
    const bobHandle = (await w.h.deps.sessions.byToken(bob))!.handle;
    expect((await act("validate", { tokenId: bob })).body).toEqual({ valid: false });
    expect((await act("logoutByHandle", { sessionHandles: [bobHandle] })).body).toEqual({
      result: { [bobHandle]: false },
    });
    const alphaAll = (await query({ _queryFilter: "true" })).body.result as { realm: string }[];
    expect(alphaAll.map((r) => r.realm)).toEqual(["/alpha", "/alpha"]);
    const rootAll = (await query({ _queryFilter: "true" }, { path: ROOT_PATH })).body.result as {
      realm: string;
    }[];
    expect(rootAll.map((r) => r.realm).sort()).toEqual(["/alpha", "/alpha", "/beta"]);
    expect((await act("validate", { tokenId: bob }, { path: ROOT_PATH })).body.valid).toBe(true);
    const beta = await act(
      "validate",
      { tokenId: bob },
      { path: "/am/json/realms/root/realms/beta/sessions/" },
    );
    expect(beta.body.realm).toBe("/beta");
  });

  it("an unknown realm is a 404 in CREST's shape", async () => {
    const r = await act(
      "validate",
      { tokenId: w.tokens[0] },
      { path: "/am/json/realms/root/realms/gamma/sessions" },
    );
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ code: 404, reason: "Not Found", message: 'Realm "/gamma" not found' });
  });

  it("logoutByUser ends the user's sessions in that realm only, and answers the same for anyone", async () => {
    const other = must(await w.h.deps.users.create("carol", PASSWORD, { realm: "/beta" }));
    const carol = cookieOf(await w.h.login("carol"));
    expect((await act("logoutByUser", { username: userIdOfDn(other.dn) })).body).toEqual({ result: true });
    expect(await w.h.deps.sessions.byToken(carol)).toBeDefined();
    expect((await act("logoutByUser", { username: "no-such-user" })).body).toEqual({ result: true });
    expect((await act("logoutByUser", { username: w.userId })).body).toEqual({ result: true });
    for (const t of w.tokens) expect(await w.h.deps.sessions.byToken(t)).toBeUndefined();
  });

  it("an admin's logout is recorded as a revocation by the client", async () => {
    await act("logout", { tokenId: w.tokens[0] });
    const { entries } = await w.h.deps.events.list({ types: ["revoked"], limit: 10, offset: 0 });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorType: "client", actor: w.h.admin.client_id });
  });
});

describe("session properties", () => {
  it("internal and unlisted properties are forbidden alike; values must be strings", async () => {
    for (const name of ["AuthLevel", "AMCtxId", "NotListed"]) {
      const r = await act("updateSessionProperties", { tokenId: w.tokens[0], [name]: "x" });
      expect(r.status).toBe(403);
      expect(r.body).toEqual({ code: 403, reason: "Forbidden", message: "Forbidden" });
    }
    const r = await act("updateSessionProperties", { tokenId: w.tokens[0], LoginLocation: 5 });
    expect(r.status).toBe(400);
    expect((await act("getSessionProperties", { tokenId: w.tokens[0] })).body).toEqual({ LoginLocation: "" });
  });

  it("a property set on a session is read back, and shows in getSessionInfo when listed", async () => {
    await act("updateSessionProperties", { tokenId: w.tokens[1], LoginLocation: "here" });
    expect((await act("getSessionProperties", { tokenId: w.tokens[1] })).body).toEqual({
      LoginLocation: "here",
    });
    expect((await act("getSessionProperties", { tokenId: w.tokens[0] })).body).toEqual({ LoginLocation: "" });
    expect((await info(w.tokens[1])).properties).toEqual({
      AMCtxId: expect.any(String),
      AuthType: "simple_password_auth",
    });
  });
});

describe("authorisation and versions", () => {
  it("no token: 401 in CREST's shape with a challenge", async () => {
    const res = await w.h.app.request(`${ALPHA}?_action=validate`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer realm="am"/);
    expect(await res.json()).toMatchObject({ code: 401, reason: "Unauthorized" });
  });

  it("the read scope queries, reads and validates, but cannot log out or reset", async () => {
    const reader = await w.h.token([SCOPE.amSessionsRead]);
    expect((await query({ _queryFilter: "true" }, { token: reader })).status).toBe(200);
    expect((await act("getSessionInfo", { tokenId: w.tokens[0] }, { token: reader })).status).toBe(200);
    expect((await act("validate", { tokenId: w.tokens[0] }, { token: reader })).status).toBe(200);
    for (const action of ["logout", "refresh", "getSessionInfoAndResetIdleTime", "updateSessionProperties"]) {
      const r = await act(action, { tokenId: w.tokens[0] }, { token: reader });
      expect(r.status).toBe(403);
      expect(r.body).toEqual({ code: 403, reason: "Forbidden", message: `${action} needs scope fr:am:*` });
    }
    const janssen = await w.h.token([SCOPE.sessionAdmin]);
    expect((await query({ _queryFilter: "true" }, { token: janssen })).status).toBe(403);
  });

  it("the read scope's validate never resets idle time, and cannot ask to (issue 21 item 6)", async () => {
    const before = await info();
    await advance(5 * 60_000);
    const reader = await w.h.token([SCOPE.amSessionsRead]);
    expect((await act("validate", { tokenId: w.tokens[0] }, { token: reader })).body.valid).toBe(true);
    expect((await info()).latestAccessTime).toBe(before.latestAccessTime);
    const asked = await act("validate", { tokenId: w.tokens[0] }, { token: reader, query: "&refresh=true" });
    expect(asked.status).toBe(403);
    expect((await info()).latestAccessTime).toBe(before.latestAccessTime);
  });

  it("each action is guarded by its operation's row of the tested scope table", () => {
    for (const action of Object.values(ACTIONS)) expect(AM_OPERATION_SCOPES).toHaveProperty(action.operation);
    expect(
      Object.values(ACTIONS)
        .map((a) => a.operation)
        .sort(),
    ).toEqual(
      Object.keys(AM_OPERATION_SCOPES)
        .filter((k) => k !== "query-sessions")
        .sort(),
    );
  });

  it("over a socket the chosen version is named as in process, with the JSON answer", async () => {
    const server = serve({ fetch: w.h.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ALPHA}?_action=validate`;
    const init = () => ({
      method: "POST",
      headers: { authorization: `Bearer ${w.accessToken}`, "content-type": "application/json", ...V },
      body: JSON.stringify({ tokenId: w.tokens[0] }),
    });
    try {
      const [socket, inProcess] = [await fetch(url, init()), await w.h.app.request(url, init())];
      for (const res of [socket, inProcess]) {
        expect(res.headers.get("content-api-version")).toBe("protocol=1.0,resource=4.0");
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        expect(await res.json()).toMatchObject({ valid: true });
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("honours Accept-API-Version: the seed's versions pass, others are a 400", async () => {
    for (const v of [
      "resource=4.0",
      "resource=3.1, protocol=1.0",
      "resource=5.1, protocol=1.0",
      "resource=4",
      "protocol=1.0",
    ]) {
      const res = await w.h.app.request(`${ALPHA}?_action=validate`, {
        method: "POST",
        headers: { authorization: `Bearer ${w.accessToken}`, "accept-api-version": v },
        body: JSON.stringify({ tokenId: w.tokens[0] }),
      });
      expect(res.status, v).toBe(200);
      expect(res.headers.get("content-api-version")).toMatch(/^protocol=\d\.\d,resource=\d\.\d$/);
    }
    for (const [v, message] of [
      ["resource=6.0", "Unsupported resource version: 6.0 (supported: 3.1, 4.0, 5.1)"],
      ["resource=4.2", "Unsupported resource version: 4.2 (supported: 3.1, 4.0, 5.1)"],
      ["protocol=3.0", "Unsupported protocol version: 3.0 (supported: 1.0, 2.0, 2.1)"],
      ["resource=x", 'Accept-API-Version: resource version "x" is not X.Y'],
      ["version=1", 'Accept-API-Version: unknown part "version=1" (resource=X.Y, protocol=X.Y)'],
    ]) {
      const res = await w.h.app.request(`${ALPHA}?_action=validate`, {
        method: "POST",
        headers: { authorization: `Bearer ${w.accessToken}`, "accept-api-version": v! },
        body: JSON.stringify({ tokenId: w.tokens[0] }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: 400, reason: "Bad Request", message });
    }
  });
});

describe("queries", () => {
  async function more(n: number) {
    for (let i = 0; i < n; i++) {
      w.h.clock.advance(1000);
      await w.h.login("bjensen");
    }
  }

  it("filters with the whole grammar over the listed fields", async () => {
    const q = async (f: string) => ((await query({ _queryFilter: f })).body.result as unknown[]).length;
    // The two sessions were made at t0 and a minute later.
    const t0 = new Date(w.h.clock.now() - 120_000).toISOString();
    expect(await q(`username eq "${w.userId}"`)).toBe(2);
    expect(await q(`universalId eq "id=${w.userId},ou=user,o=alpha,ou=services,ou=am-config"`)).toBe(2);
    expect(await q(`universalId eq "id=${w.userId},ou=user,o=beta,ou=services,ou=am-config"`)).toBe(0);
    expect(await q(`latestAccessTime ge "${t0}"`)).toBe(2);
    expect(await q(`latestAccessTime gt "${t0}"`)).toBe(1);
    expect(await q(`!(latestAccessTime gt "${t0}")`)).toBe(1);
    expect(await q(`latestAccessTime gt "${t0}" or username sw "${w.userId.slice(0, 8)}"`)).toBe(2);
    expect(
      await q(
        `(realm eq "/alpha" and username co "${w.userId.slice(9, 14)}") and maxSessionExpirationTime pr`,
      ),
    ).toBe(2);
    expect(await q(`maxIdleExpirationTime lt ${w.h.clock.now()}`)).toBe(0);
    expect(await q("false")).toBe(0);
    expect((await query({ _queryId: "all" })).body.resultCount).toBe(2);
  });

  it("a bad filter is a 400 naming the position; so is an unknown field or a mistyped value", async () => {
    for (const [f, message] of [
      ['username eq "x" annd realm pr', '_queryFilter: unexpected "annd" at position 16'],
      [
        "username eq bjensen",
        '_queryFilter: expected a number, true, false or a "quoted string" but found "bjensen" at position 12',
      ],
      [
        'colour eq "red"',
        'cannot filter on "colour" (one of username, realm, latestAccessTime, maxIdleExpirationTime, maxSessionExpirationTime, universalId)',
      ],
      ['latestAccessTime co "2024"', "latestAccessTime is a date: use eq, gt, ge, lt or le"],
      [
        'latestAccessTime gt "yesterday"',
        'latestAccessTime compares with an ISO 8601 date ("2024-01-15T07:42:42Z") or epoch milliseconds',
      ],
      ["username eq 5", 'username compares with a "quoted string"'],
      ['universalId sw "id="', "universalId can only be compared with eq"],
    ]) {
      const r = await query({ _queryFilter: f! });
      expect(r.status, f).toBe(400);
      expect(r.body).toEqual({ code: 400, reason: "Bad Request", message });
    }
    expect((await query({})).body.message).toMatch(/_queryFilter is required/);
    expect((await query({ _queryFilter: "x pr ".repeat(1000) })).body.message).toMatch(/longer than 4096/);
  });

  it("pages with _pagedResultsCookie through every session once, in order, whatever happens between pages", async () => {
    await more(5);
    const seen: string[] = [];
    let cookie: string | null = null;
    let pages = 0;
    do {
      const params: Record<string, string> = {
        _queryFilter: "true",
        _pageSize: "2",
        _fields: "sessionHandle",
      };
      if (cookie) params._pagedResultsCookie = cookie;
      const r = (await query(params)).body as {
        result: { sessionHandle: string }[];
        pagedResultsCookie: string | null;
      };
      for (const e of r.result) expect(Object.keys(e)).toEqual(["sessionHandle"]);
      seen.push(...r.result.map((e) => e.sessionHandle));
      cookie = r.pagedResultsCookie;
      // Sessions used between pages do not move in the default order (by absolute expiry).
      await act("getSessionInfoAndResetIdleTime", { tokenId: w.tokens[0] });
      pages++;
    } while (cookie);
    expect(pages).toBe(4);
    expect(new Set(seen).size).toBe(7);
    const exact = (await query({ _queryFilter: "true", _pageSize: "2", _totalPagedResultsPolicy: "EXACT" }))
      .body;
    expect(exact).toMatchObject({ resultCount: 2, totalPagedResults: 7, totalPagedResultsPolicy: "EXACT" });
  });

  it("sorts by one key either way; a cookie belongs to its query", async () => {
    await more(2);
    const times = async (sort: string) =>
      (
        (await query({ _queryFilter: "true", _sortKeys: sort })).body.result as { latestAccessTime: string }[]
      ).map((r) => r.latestAccessTime);
    const asc = await times("latestAccessTime");
    expect(asc).toEqual([...asc].sort());
    expect(await times("-latestAccessTime")).toEqual([...asc].reverse());
    expect((await query({ _queryFilter: "true", _sortKeys: "username,realm" })).status).toBe(400);
    expect((await query({ _queryFilter: "true", _sortKeys: "colour" })).status).toBe(400);
    const first = (await query({ _queryFilter: "true", _pageSize: "1" })).body.pagedResultsCookie as string;
    const other = await query({ _queryFilter: `username eq "${w.userId}"`, _pagedResultsCookie: first });
    expect(other.status).toBe(400);
    expect(other.body.message).toMatch(/belongs to another query/);
    expect((await query({ _queryFilter: "true", _pagedResultsCookie: "garbage" })).status).toBe(400);
  });

  it("refuses unknown or repeated parameters and page sizes out of range", async () => {
    expect((await query({ _queryFilter: "true", _colour: "red" })).body.message).toBe(
      "Unrecognized request parameter '_colour'",
    );
    expect((await query({ _queryFilter: "true", _pageSize: "0" })).status).toBe(400);
    expect((await query({ _queryFilter: "true", _pageSize: "201" })).status).toBe(400);
    const twice = await w.h.app.request(`${ALPHA}?_queryFilter=true&_queryFilter=false`, {
      headers: { authorization: `Bearer ${w.accessToken}` },
    });
    expect(twice.status).toBe(400);
  });
});

describe("actions: malformed requests", () => {
  it("answers 400 or 405 in CREST's shape, never 5xx", async () => {
    const cases: [string, RequestInit, number, RegExp][] = [
      [`${ALPHA}`, { method: "POST", body: "{}" }, 400, /an _action is required/],
      [`${ALPHA}?_action=explode`, { method: "POST", body: "{}" }, 400, /Action explode not supported/],
      [`${ALPHA}?_action=validate&_action=logout`, { method: "POST", body: "{}" }, 400, /given twice/],
      [`${ALPHA}?_action=validate`, { method: "POST", body: "{not json" }, 400, /not valid JSON/],
      [`${ALPHA}?_action=validate`, { method: "POST", body: "[1]" }, 400, /must be a JSON object/],
      [`${ALPHA}?_action=validate`, { method: "POST", body: "{}" }, 400, /tokenId is required/],
      [
        `${ALPHA}?_action=validate&refresh=maybe`,
        { method: "POST", body: '{"tokenId":"x"}' },
        400,
        /refresh must be true or false/,
      ],
      [
        `${ALPHA}?_action=logoutByHandle`,
        { method: "POST", body: '{"sessionHandles":"x"}' },
        400,
        /sessionHandles/,
      ],
      [`${ALPHA}?_action=logoutByUser`, { method: "POST", body: "{}" }, 400, /username/],
      [
        `${ALPHA}?_action=VALIDATE&_colour=1`,
        { method: "POST", body: "{}" },
        400,
        /Unrecognized request parameter/,
      ],
      [`${ALPHA}`, { method: "PUT", body: "{}" }, 405, /PUT is not supported/],
      [`${ALPHA}/extra`, { method: "GET" }, 404, /no such endpoint/],
    ];
    for (const [path, init, status, message] of cases) {
      const res = await w.h.app.request(path, {
        ...init,
        headers: { authorization: `Bearer ${w.accessToken}`, "content-type": "application/json" },
      });
      expect(res.status, path).toBe(status);
      const body = (await res.json()) as { code: number; reason: string; message: string };
      expect(body.code).toBe(status);
      expect(body.message).toMatch(message);
    }
  });

  it("matches action names without regard to case, as PingAM does", async () => {
    expect((await act("VALIDATE", { tokenId: w.tokens[0] })).body.valid).toBe(true);
  });
});
