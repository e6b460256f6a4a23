import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { userIdOfDn } from "../../src/server/store/query.js";
import { must } from "../helpers/must.js";
import { type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

// The admin console's pages in process: sign-in, the cookie, CSRF, read-only admins.

let h: Harness;
beforeEach(async () => {
  h = await harness();
  must(await h.deps.users.create("olivia", PASSWORD, { roles: ["api-admin"] }));
  must(await h.deps.users.create("vera", PASSWORD, { roles: ["api-viewer"] }));
  must(await h.deps.users.create("ulla", PASSWORD));
});
afterEach(async () => h.close());

async function signIn(
  username: string,
): Promise<{ status: number; cookie: string; location: string | null }> {
  const res = await h.submit("/admin/login", "/admin/login", { username, password: PASSWORD });
  const cookie = /opcli_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0] ?? "";
  return { status: res.status, cookie, location: res.headers.get("location") };
}

describe("admin pages", () => {
  it("signs an admin in with a cookie of its own and sends the signed-out to the sign-in page", async () => {
    const r = await signIn("olivia");
    expect(r).toMatchObject({ status: 303, location: "/admin/sessions" });
    expect(r.cookie).toMatch(/^opcli_admin=/);
    const page = await h.app.request("/admin/sessions", { headers: { cookie: r.cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<h1>Sessions</h1>");
    const out = await h.app.request("/admin/sessions");
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe("/admin/login");
  });

  it("refuses users without an admin role, and wrong passwords, as the lockout counts them", async () => {
    expect((await signIn("ulla")).status).toBe(403);
    const wrong = await h.submit("/admin/login", "/admin/login", {
      username: "olivia",
      password: "not-the-password",
    });
    expect(wrong.status).toBe(401);
  });

  it("refuses a form without its CSRF token, and changes by a read-only admin", async () => {
    const { cookie } = await signIn("olivia");
    const noToken = await h.app.request("/admin/users/x/lock", {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(noToken.status).toBe(403);
    const viewer = await signIn("vera");
    expect(viewer.status).toBe(303);
    const id = userIdOfDn((await h.deps.users.getByName("ulla"))!.dn)!;
    const res = await h.submit("/admin/users", `/admin/users/${id}/lock`, {}, viewer.cookie);
    expect(res.status).toBe(403);
    expect(await h.deps.users.lockedUntil("ulla")).toBe(0);
    const done = await h.submit("/admin/users", `/admin/users/${id}/lock`, {}, cookie);
    expect(done.status).toBe(303);
    expect(await h.deps.users.lockedUntil("ulla")).toBeGreaterThan(0);
  });

  it("signing out revokes the console session", async () => {
    const { cookie } = await signIn("olivia");
    const out = await h.submit("/admin/sessions", "/admin/logout", {}, cookie);
    expect(out.status).toBe(303);
    expect((await h.app.request("/admin/sessions", { headers: { cookie } })).status).toBe(303);
    const api = await h.app.request("/api/admin/sessions", { headers: { cookie } });
    expect(api.status).toBe(401);
  });

  it("a console session works on the API for reads; a cross-site change through it is refused", async () => {
    const { cookie } = await signIn("olivia");
    expect((await h.app.request("/api/admin/users", { headers: { cookie } })).status).toBe(200);
    const cross = await h.app.request("/api/admin/users/x/lock", {
      method: "POST",
      headers: { cookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(cross.status).toBe(403);
  });
});

describe("the console's own sessions are sessions (issue 21 item 7)", () => {
  const TLS = { incoming: { socket: { encrypted: true, remoteAddress: "127.0.0.1" } } };

  it("a console sign-in is listed, audited, terminable, and its sign-out is audited", async () => {
    const { cookie } = await signIn("olivia");
    const listed = await h.deps.admin.listSessions({ limit: 50, offset: 0 });
    const mine = listed.ok ? listed.value.items.filter((s) => s.username === "olivia") : [];
    expect(mine).toHaveLength(1);
    const audit = async (type: "authenticated" | "ended" | "revoked" | "alarm_acknowledged") =>
      (await h.deps.events.list({ types: [type], limit: 10, offset: 0 })).entries.filter(
        (e) => e.username === "olivia",
      ).length;
    expect(await audit("authenticated")).toBe(1);
    // Terminated like any other session: the console's next request asks to sign in again.
    expect((await h.deps.sessions.delete(mine[0]!.id, { type: "admin", id: "other" })).ok).toBe(true);
    expect((await h.app.request("/admin/sessions", { headers: { cookie } })).headers.get("location")).toBe(
      "/admin/login",
    );
    expect((await h.app.request("/api/admin/sessions", { headers: { cookie } })).status).toBe(401);
    expect(await audit("revoked")).toBe(1);
    // Signing out ends the new one, in the audit.
    const again = await signIn("olivia");
    expect((await h.submit("/admin/sessions", "/admin/logout", {}, again.cookie)).status).toBe(303);
    expect(await audit("ended")).toBe(1);
    expect((await h.app.request("/admin/sessions", { headers: { cookie: again.cookie } })).status).toBe(303);
  });

  it("acknowledging an alarm is in the audit, as the admin's act", async () => {
    const { cookie } = await signIn("olivia");
    const ulla = (await h.deps.users.getByName("ulla"))!;
    const id = await h.deps.store.alarms.raise({
      kind: "ip_spread",
      userDn: ulla.dn,
      username: "ulla",
      raisedAt: h.clock.now(),
      detail: {},
    });
    expect((await h.submit("/admin/alarms", `/admin/alarms/${id}/acknowledge`, {}, cookie)).status).toBe(303);
    const [event] = (await h.deps.events.list({ types: ["alarm_acknowledged"], limit: 5, offset: 0 }))
      .entries;
    expect(event).toMatchObject({ username: "ulla", actorType: "admin", actor: "olivia" });
  });

  it("a console cookie issued over TLS is refused over plain HTTP; TLS answers carry HSTS", async () => {
    const { cookie: csrfCookie, token } = await h.csrf("/admin/login");
    const res = await h.app.request(
      "/admin/login",
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: `csrf_token=${csrfCookie}` },
        body: new URLSearchParams({ username: "olivia", password: PASSWORD, csrf_token: token }),
      },
      TLS,
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(res.headers.get("set-cookie")).toMatch(/Secure/);
    const cookie = /opcli_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
    expect((await h.app.request("/admin/sessions", { headers: { cookie } }, TLS)).status).toBe(200);
    const plain = await h.app.request("/admin/sessions", { headers: { cookie } });
    expect(plain.status).toBe(303);
    expect(plain.headers.get("strict-transport-security")).toBeNull();
  });
});
