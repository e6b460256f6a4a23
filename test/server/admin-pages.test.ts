import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { userIdOfDn } from "../../src/server/store/query.js";
import { type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

// The admin console's pages in process: sign-in, the cookie, CSRF, read-only admins.

let h: Harness;
beforeEach(async () => {
  h = await harness();
  await h.deps.users.create("olivia", PASSWORD, { roles: ["api-admin"] });
  await h.deps.users.create("vera", PASSWORD, { roles: ["api-viewer"] });
  await h.deps.users.create("ulla", PASSWORD);
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
