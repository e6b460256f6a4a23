import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SCOPE } from "../../src/server/core/oauth/scopes.js";
import { userIdOfDn } from "../../src/server/store/query.js";
import { addUser, type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

// The admin console's API (/api/admin, spec/admin.yaml): every route and its errors.

let h: Harness;
beforeEach(async () => {
  h = await harness({ lockoutThreshold: 3 });
});
afterEach(async () => h.close());

const env = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });
const loginFrom = (username: string, ip: string, password = PASSWORD) =>
  h.app.request(
    "/jans-auth/restv1/login",
    {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": `agent-${ip}` },
      body: JSON.stringify({ username, password }),
    },
    env(ip),
  );

async function call(method: string, path: string, token?: string | null) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token ?? (await h.token())}`;
  const res = await h.app.request(`/api/admin${path}`, { method, headers }, env("192.0.2.9"));
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
type Item = Record<string, unknown>;
const items = (r: { body: Record<string, unknown> }) => r.body.items as Item[];

describe("admin API: sessions", () => {
  it("lists live authenticated sessions with who, where and when, filtered, sorted and paged", async () => {
    const alice = userIdOfDn(await addUser(h, "alice"))!;
    await addUser(h, "bob");
    for (const ip of ["10.0.0.1", "10.0.0.2"]) {
      expect((await loginFrom("alice", ip)).status).toBe(200);
      h.clock.advance(1000);
    }
    h.clock.advance(60_000);
    expect((await loginFrom("bob", "10.0.0.3")).status).toBe(200);
    const all = await call("GET", "/sessions");
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(items(all)[0]).toMatchObject({
      username: "bob",
      ipAddress: "10.0.0.3",
      userAgent: "agent-10.0.0.3",
    });
    expect(Object.keys(items(all)[0]!).sort()).toEqual(
      [
        "absoluteExpiresAt",
        "createdAt",
        "expiresAt",
        "id",
        "idleExpiresAt",
        "ipAddress",
        "lastActiveAt",
        "userAgent",
        "userId",
        "username",
      ].sort(),
    );
    const mine = await call("GET", `/sessions?userId=${alice}&sort=created&order=asc`);
    expect(items(mine).map((s) => s.ipAddress)).toEqual(["10.0.0.1", "10.0.0.2"]);
    expect(items(await call("GET", "/sessions?ip=10.0.0.2")).map((s) => s.username)).toEqual(["alice"]);
    const paged = await call("GET", "/sessions?limit=1&offset=1&sort=user");
    expect(paged.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(items(paged).map((s) => s.username)).toEqual(["alice"]);
  });

  it("never shows an idle-expired session", async () => {
    await addUser(h, "carol");
    await loginFrom("carol", "10.0.0.1");
    h.clock.advance(3_600_000 + 1);
    expect(await call("GET", "/sessions")).toMatchObject({ status: 200, body: { total: 0, items: [] } });
  });

  it("terminates one session (its cookie refused next), and every session of a user", async () => {
    const dn = await addUser(h, "dave");
    const first = await loginFrom("dave", "10.0.0.1");
    const cookie = /session_id=[^;]+/.exec(first.headers.get("set-cookie")!)![0];
    await loginFrom("dave", "10.0.0.2");
    const [one] = items(await call("GET", "/sessions?ip=10.0.0.1"));
    expect((await call("DELETE", `/sessions/${one!.id}`)).status).toBe(204);
    expect((await call("DELETE", `/sessions/${one!.id}`)).status).toBe(404);
    const app = await h.app.request("/jans-auth/app", { headers: { cookie } });
    expect(app.status).toBe(401);
    expect(await app.text()).toContain('action="/jans-auth/login"');
    const all = await call("DELETE", `/sessions?userId=${userIdOfDn(dn)}`);
    expect(all).toMatchObject({ status: 200, body: { userId: userIdOfDn(dn), terminated: 1 } });
    expect((await call("GET", "/sessions")).body.total).toBe(0);
    expect((await call("DELETE", "/sessions")).status).toBe(400);
    expect((await call("DELETE", "/sessions?userId=nobody")).status).toBe(404);
  });
});

describe("admin API: users", () => {
  it("lists users with session counts, addresses and last login; logout-all ends them", async () => {
    const erin = userIdOfDn(await addUser(h, "erin"))!;
    await addUser(h, "frank");
    await loginFrom("erin", "10.0.0.1");
    h.clock.advance(1000);
    await loginFrom("erin", "10.0.0.2");
    const r = await call("GET", "/users");
    expect(r.body.total).toBe(2);
    expect(items(r)[0]).toMatchObject({
      username: "erin",
      id: erin,
      sessions: 2,
      addresses: ["10.0.0.1", "10.0.0.2"],
    });
    expect(items(r)[0]!.lastLoginAt).toBe(new Date(h.clock.now()).toISOString());
    expect(items(r)[1]).toMatchObject({ username: "frank", sessions: 0, lastLoginAt: null, disabled: false });
    expect(items(await call("GET", "/users?search=RAN")).map((u) => u.username)).toEqual(["frank"]);
    expect(await call("POST", `/users/${erin}/logout-all`)).toMatchObject({
      status: 200,
      body: { terminated: 2 },
    });
    expect(items(await call("GET", "/users"))[0]!.sessions).toBe(0);
    expect((await call("POST", "/users/nobody/logout-all")).status).toBe(404);
  });

  it("locks and unlocks, disables (ending sessions) and enables", async () => {
    const gus = userIdOfDn(await addUser(h, "gus"))!;
    await loginFrom("gus", "10.0.0.1");
    const locked = await call("POST", `/users/${gus}/lock`);
    expect(locked.status).toBe(200);
    expect(Date.parse(String(locked.body.lockedUntil))).toBe(h.clock.now() + 900_000);
    expect((await loginFrom("gus", "10.0.0.1")).status).toBe(423);
    expect(await call("POST", `/users/${gus}/unlock`)).toMatchObject({
      status: 200,
      body: { lockedUntil: null },
    });
    expect((await loginFrom("gus", "10.0.0.1")).status).toBe(200);
    expect(await call("POST", `/users/${gus}/disable`)).toMatchObject({
      status: 200,
      body: { disabled: true },
    });
    expect((await call("GET", "/sessions")).body.total).toBe(0);
    expect((await loginFrom("gus", "10.0.0.1")).status).toBe(401);
    expect(await call("POST", `/users/${gus}/enable`)).toMatchObject({
      status: 200,
      body: { disabled: false },
    });
    expect((await loginFrom("gus", "10.0.0.1")).status).toBe(200);
    for (const a of ["lock", "unlock", "disable", "enable"])
      expect((await call("POST", `/users/none/${a}`)).status).toBe(404);
  });
});

describe("admin API: alarms and audit", () => {
  it("raises one IP-spread alarm at 4 distinct addresses, and an admin acknowledges it", async () => {
    const hal = userIdOfDn(await addUser(h, "hal"))!;
    for (const ip of ["10.1.0.1", "10.1.0.2", "10.1.0.3"]) await loginFrom("hal", ip);
    expect((await call("GET", "/alarms")).body.total).toBe(0);
    await loginFrom("hal", "10.1.0.4");
    await loginFrom("hal", "10.1.0.5");
    const open = await call("GET", "/alarms?open=true");
    expect(open.body.total).toBe(1);
    const [alarm] = items(open);
    expect(alarm).toMatchObject({ kind: "ip_spread", userId: hal, username: "hal", acknowledgedAt: null });
    expect(alarm!.addresses).toEqual(["10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4"]);
    expect((await call("GET", `/alarms?userId=${hal}`)).body.total).toBe(1);
    expect(await call("POST", `/alarms/${alarm!.id}/acknowledge`)).toMatchObject({ status: 200 });
    expect((await call("POST", `/alarms/${alarm!.id}/acknowledge`)).status).toBe(404);
    expect((await call("POST", "/alarms/x/acknowledge")).status).toBe(404);
    expect((await call("GET", "/alarms?open=true")).body.total).toBe(0);
    expect(items(await call("GET", "/alarms?open=false"))[0]).toMatchObject({
      acknowledgedBy: expect.any(String),
    });
  });

  it("audits sign-ins, failures, lockouts, logouts and terminations with actor, target, address and time", async () => {
    const ida = userIdOfDn(await addUser(h, "ida"))!;
    await loginFrom("ida", "10.2.0.1");
    for (let i = 0; i < 3; i++) await loginFrom("ida", "10.2.0.2", "wrong-password-here");
    await h.deps.users.unlock("ida");
    await loginFrom("ida", "10.2.0.3");
    const [s] = items(await call("GET", `/sessions?userId=${ida}&ip=10.2.0.3`));
    await call("DELETE", `/sessions/${s!.id}`);
    await call("POST", `/users/${ida}/logout-all`);
    const audit = await call("GET", `/audit?userId=${ida}&limit=200`);
    const types = items(audit).map((e) => e.type);
    expect(types.filter((t) => t === "login_failed")).toHaveLength(3);
    expect(types.filter((t) => t === "authenticated")).toHaveLength(2);
    expect(types).toContain("locked");
    expect(types.filter((t) => t === "revoked")).toHaveLength(2);
    const failed = items(audit).find((e) => e.type === "login_failed")!;
    expect(failed).toMatchObject({ username: "ida", ipAddress: "10.2.0.2", actorType: "user" });
    const terminated = items(audit).find((e) => e.type === "revoked" && e.sessionId === s!.id)!;
    expect(terminated).toMatchObject({ actorType: "client", ipAddress: "192.0.2.9" });
    expect(Date.parse(String(terminated.at))).toBe(h.clock.now());
    expect(items(await call("GET", "/audit?type=login_failed")).every((e) => e.type === "login_failed")).toBe(
      true,
    );
    expect(await call("GET", "/audit?limit=2")).toMatchObject({ body: { limit: 2 } });
  });
});

describe("admin API: errors", () => {
  const routes: [string, string][] = [
    ["GET", "/sessions"],
    ["DELETE", "/sessions/x"],
    ["DELETE", "/sessions?userId=x"],
    ["GET", "/users"],
    ["POST", "/users/x/logout-all"],
    ["POST", "/users/x/lock"],
    ["POST", "/users/x/unlock"],
    ["POST", "/users/x/disable"],
    ["POST", "/users/x/enable"],
    ["GET", "/alarms"],
    ["POST", "/alarms/1/acknowledge"],
    ["GET", "/audit"],
  ];
  it.each(routes)("%s %s: 401 without a token or with a bad one", async (method, path) => {
    const none = await call(method, path, null);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ code: "401" });
    expect((await call(method, path, "not-a-token")).status).toBe(401);
  });

  it.each(routes.filter(([m]) => m !== "GET"))("%s %s: 403 with a read-only token", async (method, path) => {
    const readOnly = await h.token([SCOPE.readAll]);
    expect((await call(method, path, readOnly)).status).toBe(403);
  });

  it("403 for reads with a token of unrelated scopes", async () => {
    const other = await h.token([SCOPE.sessionRead]);
    expect((await call("GET", "/sessions", other)).status).toBe(403);
  });

  const bad = ["limit=0", "limit=abc", "limit=201", "limit=-1", "offset=-1", "offset=1.5", "offset=x"];
  it.each(bad)("400 for %s on every list", async (q) => {
    for (const path of ["/sessions", "/users", "/alarms", "/audit"]) {
      const r = await call("GET", `${path}?${q}`);
      expect(r.status, `${path}?${q}`).toBe(400);
      expect(String(r.body.description)).toMatch(/^(limit|offset) must be an integer/);
    }
  });

  it("400 for an unknown sort, order, open or type", async () => {
    expect((await call("GET", "/sessions?sort=password")).status).toBe(400);
    expect((await call("GET", "/sessions?order=up")).status).toBe(400);
    expect((await call("GET", "/alarms?open=maybe")).status).toBe(400);
    expect((await call("GET", "/audit?type=used")).status).toBe(400);
  });

  it("404 for a route that is not there", async () => {
    expect((await call("GET", "/nothing")).status).toBe(404);
  });
});
