import { afterEach, describe, expect, it } from "vitest";
import type { ServerConfig } from "../../../src/server/core/config.js";
import type { Actor } from "../../../src/server/core/events.js";
import { type CoreUnderTest, coreOnSqlite } from "../../helpers/core.js";
import { must } from "../../helpers/must.js";

// The session service without HTTP: lifecycle, rotation on sign-in, the per-user cap, and the one
// place sessions end (their tokens with them), over a real SQLite store.

const PLAIN = { secure: false };
const ADMIN: Actor = { type: "admin", id: "core-test" };
let t: CoreUnderTest | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function withUser(config: Partial<ServerConfig> = {}) {
  t = await coreOnSqlite(config);
  const user = must(await t.core.users.create("alice", "correct-horse-battery"));
  return { ...t, user: { dn: user.dn, realm: user.realm } };
}

describe("SessionService", () => {
  it("ends a session once: get and its cookie find it before, neither after, a second delete is not_found", async () => {
    const { core, user } = await withUser();
    const made = await core.sessions.create("authenticated", user, {}, PLAIN);
    if (!made.ok) throw new Error(made.error.message);
    const { session, cookie } = made.value;
    expect((await core.sessions.get(session.sid)).ok).toBe(true);
    expect((await core.sessions.byCookie(cookie, PLAIN))?.sid).toBe(session.sid);

    expect((await core.sessions.delete(session.sid, ADMIN)).ok).toBe(true);
    expect(await core.sessions.get(session.sid)).toMatchObject({ ok: false, error: { kind: "not_found" } });
    expect(await core.sessions.byCookie(cookie, PLAIN)).toBeUndefined();
    expect(await core.sessions.delete(session.sid, ADMIN)).toMatchObject({
      ok: false,
      error: { kind: "not_found" },
    });
  });

  it("refuses the access tokens bound to a session once it has ended, and only those", async () => {
    const { core, user } = await withUser();
    const a = await core.sessions.create("authenticated", user, {}, PLAIN);
    const b = await core.sessions.create("authenticated", user, {}, PLAIN);
    if (!a.ok || !b.ok) throw new Error("sessions not created");
    const issue = (sid: string) => core.tokens.issue("rp", ["openid"], 300, user.dn, sid);
    const [ta, tb] = [await issue(a.value.session.sid), await issue(b.value.session.sid)];
    expect((await core.tokens.verify(ta)).ok).toBe(true);

    await core.sessions.delete(a.value.session.sid, ADMIN);
    expect(await core.tokens.verify(ta)).toEqual({ ok: false, reason: "revoked" });
    expect((await core.tokens.verify(tb)).ok).toBe(true);
  });

  it("rotates on sign-in: a new sid and cookie, the pre-login session and its cookie gone", async () => {
    const { core, user } = await withUser();
    const pre = await core.sessions.create("unauthenticated", null, { client_id: "rp" }, PLAIN);
    if (!pre.ok) throw new Error(pre.error.message);
    const signed = await core.sessions.authenticated(pre.value.session, user, {}, PLAIN, { type: "user" });
    if (!signed.ok) throw new Error(signed.error.message);

    expect(signed.value.session.sid).not.toBe(pre.value.session.sid);
    expect(signed.value.cookie).toBeTruthy();
    expect(signed.value.cookie).not.toBe(pre.value.cookie);
    expect(signed.value.session).toMatchObject({ state: "authenticated", userDn: user.dn });
    expect(signed.value.session.attributes.client_id).toBe("rp");
    expect(await core.sessions.byCookie(pre.value.cookie, PLAIN)).toBeUndefined();
    expect((await core.sessions.get(pre.value.session.sid)).ok).toBe(false);
    expect((await core.sessions.byCookie(signed.value.cookie, PLAIN))?.sid).toBe(signed.value.session.sid);
  });

  it("without changeSessionIdOnAuthentication, upgrades the pre-login session in place", async () => {
    const { core, user } = await withUser({ changeSessionIdOnAuthentication: false });
    const pre = await core.sessions.create("unauthenticated", null, {}, PLAIN);
    if (!pre.ok) throw new Error(pre.error.message);
    const signed = await core.sessions.authenticated(pre.value.session, user, {}, PLAIN, { type: "user" });
    if (!signed.ok) throw new Error(signed.error.message);

    expect(signed.value.session.sid).toBe(pre.value.session.sid);
    expect(signed.value.cookie).toBeUndefined();
    expect((await core.sessions.byCookie(pre.value.cookie, PLAIN))?.state).toBe("authenticated");
  });

  it("refuses a user's session beyond maxSessionsPerUser with a conflict, and counts a freed slot", async () => {
    const { core, user } = await withUser({ maxSessionsPerUser: 2 });
    const made = [];
    for (let i = 0; i < 2; i++) made.push(await core.sessions.create("authenticated", user, {}, PLAIN));
    const third = await core.sessions.create("authenticated", user, {}, PLAIN);
    expect(third).toMatchObject({ ok: false, error: { kind: "conflict" } });

    const first = made[0]!;
    if (!first.ok) throw new Error(first.error.message);
    await core.sessions.delete(first.value.session.sid, ADMIN);
    expect((await core.sessions.create("authenticated", user, {}, PLAIN)).ok).toBe(true);
  });

  it("ends at sessionIdLifetime however it is used, and the sweeper purges it", async () => {
    const { core, clock, user } = await withUser({ sessionIdLifetime: 600, sessionIdUnusedLifetime: 300 });
    const made = await core.sessions.create("authenticated", user, {}, PLAIN);
    if (!made.ok) throw new Error(made.error.message);
    let session = made.value.session;
    for (let used = 0; used < 3; used++) {
      clock.advance(199_000);
      session = await core.sessions.touch(session);
    }
    // 597 s after creation and used within its idle lifetime: live; at 600 s it has ended.
    expect((await core.sessions.get(session.sid)).ok).toBe(true);
    clock.advance(3_000);
    expect((await core.sessions.get(session.sid)).ok).toBe(false);
    expect((await core.sessions.sweep(100)).map((s) => s.sid)).toEqual([session.sid]);
    expect(await core.sessions.sweep(100)).toEqual([]);
  });

  it("revokeUser ends every live session of the user but the one kept", async () => {
    const { core, user } = await withUser();
    const sids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await core.sessions.create("authenticated", user, {}, PLAIN);
      if (!r.ok) throw new Error(r.error.message);
      sids.push(r.value.session.sid);
    }
    const gone = await core.sessions.revokeUser(user.dn, ADMIN, sids[0]);
    if (!gone.ok) throw new Error(gone.error.message);
    expect(gone.value.map((s) => s.sid).sort()).toEqual(sids.slice(1).sort());
    expect((await core.sessions.ofUser(user.dn)).map((s) => s.sid)).toEqual([sids[0]]);
    expect(await core.sessions.revokeUser("inum=nobody,ou=people,o=jans", ADMIN)).toMatchObject({
      ok: false,
      error: { kind: "not_found" },
    });
  });
});
