import { afterEach, describe, expect, it } from "vitest";
import { SCOPE, scopesOfRoles } from "../../../src/server/core/oauth/scopes.js";
import { WRONG_CREDENTIALS } from "../../../src/server/core/users.js";
import { type CoreUnderTest, coreOnSqlite } from "../../helpers/core.js";
import { must } from "../../helpers/must.js";

// Users without HTTP: creation rules, roles and the scopes they grant, the lockout, and what a
// password change ends, over a real SQLite store.

const PASSWORD = "correct-horse-battery";
const PLAIN = { secure: false };
let t: CoreUnderTest | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("UserService", () => {
  it("creates users with known roles only, and refuses a taken name or email", async () => {
    t = await coreOnSqlite();
    const { users } = t.core;
    const admin = must(await users.create("root", PASSWORD, { roles: ["admin"], email: "root@example.org" }));
    expect((await users.getByName("root"))?.dn).toBe(admin.dn);
    expect((await users.findBy("mail", "root@example.org"))?.username).toBe("root");
    const refusals: [Promise<unknown>, string, RegExp][] = [
      [users.create("eve", PASSWORD, { roles: ["superuser"] }), "invalid", /unknown role "superuser"/],
      [users.create("root", PASSWORD), "conflict", /already exists/],
      [users.create("other", PASSWORD, { email: "root@example.org" }), "conflict", /taken/],
      [users.create("short", "abc"), "invalid", /at least/],
      [users.create("bad name", PASSWORD), "invalid", /invalid user name/],
      [users.create("ctl", "long-enough-but\u0007bell"), "invalid", /control characters/],
    ];
    for (const [r, kind, message] of refusals)
      expect(await r).toMatchObject({ ok: false, error: { kind, message: expect.stringMatching(message) } });
    expect(await users.count()).toBe(1);
  });

  it("authenticates the right password only, then locks the name at the threshold", async () => {
    t = await coreOnSqlite({ lockoutThreshold: 3, lockoutDuration: 60 });
    const { users } = t.core;
    await users.create("alice", PASSWORD);
    expect(await users.authenticate("alice", PASSWORD)).toMatchObject({
      ok: true,
      value: { username: "alice" },
    });
    const wrong = await users.authenticate("alice", "not-the-password");
    expect(wrong).toMatchObject({ ok: false, error: { kind: "unauthorized", message: WRONG_CREDENTIALS } });
    // An unknown name answers as a wrong password does.
    expect(await users.authenticate("nobody", PASSWORD)).toMatchObject({
      ok: false,
      error: { kind: "unauthorized", message: WRONG_CREDENTIALS },
    });

    for (let i = 0; i < 3; i++) await users.authenticate("alice", "not-the-password");
    const locked = await users.authenticate("alice", PASSWORD);
    expect(locked.ok).toBe(false);
    expect(locked).toMatchObject({ ok: false, error: { kind: "locked" } });
    expect(await users.lockedUntil("alice")).toBeGreaterThan(t.clock.now());
    t.clock.advance(61_000);
    expect((await users.authenticate("alice", PASSWORD)).ok).toBe(true);
  });

  it("a disabled user cannot sign in", async () => {
    t = await coreOnSqlite();
    const { users } = t.core;
    const u = must(await users.create("bob", PASSWORD));
    expect(await users.setDisabled(u.dn, true, { type: "admin" })).toBe(true);
    expect((await users.authenticate("bob", PASSWORD)).ok).toBe(false);
    expect(await users.setDisabled(u.dn, false, { type: "admin" })).toBe(true);
    expect((await users.authenticate("bob", PASSWORD)).ok).toBe(true);
  });

  it("a new password ends the user's other sessions, keeps the one that changed it", async () => {
    t = await coreOnSqlite();
    const { users, sessions } = t.core;
    const u = must(await users.create("carol", PASSWORD));
    const sids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await sessions.create("authenticated", { dn: u.dn, realm: u.realm }, {}, PLAIN);
      if (!r.ok) throw new Error(r.error.message);
      sids.push(r.value.session.sid);
    }
    expect(await users.setPassword(u.dn, "another-long-password", { type: "user" }, sids[1])).toEqual({
      ok: true,
      value: 2,
    });
    expect(
      await users.setPassword("inum=nobody,ou=people,o=jans", "another-long-password", { type: "user" }),
    ).toMatchObject({ ok: false, error: { kind: "not_found" } });
    expect((await sessions.ofUser(u.dn)).map((s) => s.sid)).toEqual([sids[1]]);
    expect((await users.authenticate("carol", PASSWORD)).ok).toBe(false);
    expect((await users.authenticate("carol", "another-long-password")).ok).toBe(true);
  });
});

describe("roles to scopes", () => {
  it.each([
    [["admin"], "admin", true, true],
    [["api-admin"], "an alias of admin", true, true],
    [["api-viewer"], "read-only", true, false],
    [[], "no role", false, false],
    [["unknown-role"], "a role not in the table", false, false],
  ])("%j (%s) may read: %s, delete: %s", (roles, _why, reads, deletes) => {
    const scopes = scopesOfRoles(roles);
    expect(scopes.has(SCOPE.sessionRead)).toBe(reads);
    expect(scopes.has(SCOPE.sessionDelete)).toBe(deletes);
    expect(scopes.size > 0).toBe(reads);
  });

  it("an alias grants exactly what the role it stands for grants", () => {
    expect([...scopesOfRoles(["api-admin"])].sort()).toEqual([...scopesOfRoles(["admin"])].sort());
  });
});
