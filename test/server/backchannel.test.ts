import type { JSONWebKeySet } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { subjectOf } from "../../src/server/core/oauth/subject.js";
import { sweepOnce } from "../../src/server/core/sweeper.js";
import { userIdOfDn } from "../../src/server/store/query.js";
import { type Receiver, startReceiver } from "../helpers/backchannel-receiver.js";
import { must } from "../helpers/must.js";
import { addUser, cookieOf, type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

// OpenID Back-Channel Logout 1.0: every way a session ends tells each RP that got an id_token for
// it, with a logout token a real RP's validation accepts, delivered from the outbox.

let h: Harness;
let rx: Receiver;
let dn: string;
/** RPs: told (two), one with no back-channel URI, one whose grant had no openid (no id_token). */
const rp: Record<"told1" | "told2" | "noUri" | "noOpenid", string> = {
  told1: "",
  told2: "",
  noUri: "",
  noOpenid: "",
};

beforeEach(async () => {
  h = await harness({ sessionIdUnusedLifetime: 600 });
  rx = await startReceiver({
    issuer: "test-issuer",
    jwks: async () => (await (await h.app.request("/jans-auth/restv1/jwks")).json()) as JSONWebKeySet,
    now: () => h.clock.now(),
  });
  dn = await addUser(h, "alice");
  await addUser(h, "olivia", ["admin"]);
  for (const name of ["told1", "told2", "noUri", "noOpenid"] as const) {
    const c = must(
      await h.deps.clients.create(name, ["openid", "profile"], {
        redirectUris: [`https://${name}.example/cb`],
      }),
    );
    rp[name] = c.client_id;
    if (name !== "noUri")
      must(await h.deps.clients.update(c.client_id, { backchannelLogoutUri: `${rx.url}/rp/${c.client_id}` }));
  }
});
afterEach(async () => {
  await rx.close();
  await h.close();
});

/** A signed-in session of alice's that issued codes to every RP (openid to all but noOpenid). */
async function relied(): Promise<{ sid: string; cookie: string; handle: string }> {
  const cookie = cookieOf(await h.login("alice"));
  const s = (await h.deps.sessions.byCookie(cookie, { secure: false }))!;
  for (const [name, id] of Object.entries(rp))
    await h.deps.sessions.recordGrant(s, id, name === "noOpenid" ? "profile" : "openid profile");
  return { sid: s.sid, cookie, handle: s.handle };
}

const bearer = async () => ({ authorization: `Bearer ${await h.token()}` });
const basic = async (scopes: string[]) => {
  const c = must(await h.deps.clients.create("ops", scopes));
  return `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString("base64")}`;
};
const am = async (action: string, body: unknown) =>
  h.app.request(`/am/json/realms/root/sessions?_action=${action}`, {
    method: "POST",
    headers: {
      ...(await bearer()),
      "content-type": "application/json",
      "accept-api-version": "resource=4.0, protocol=1.0",
    },
    body: JSON.stringify(body),
  });
async function consoleCookie(): Promise<string> {
  const res = await h.submit("/admin/login", "/admin/login", { username: "olivia", password: PASSWORD });
  return /opcli_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0] ?? "";
}

type Session = Awaited<ReturnType<typeof relied>>;
/** Each way a session ends: it ends `s` (and may start another of alice's to do it). */
const ENDINGS: [string, (s: Session) => Promise<unknown>][] = [
  [
    "end_session with an id_token_hint",
    async (s) => {
      const hint = await h.deps.tokens.idToken(
        rp.told1,
        subjectOf(dn),
        { sid: s.sid, auth_time: 0, acr: "x" },
        3600,
      );
      const res = await h.app.request(`/jans-auth/restv1/end_session?id_token_hint=${hint}`, {
        headers: { cookie: `session_id=${s.cookie}` },
      });
      expect(res.status).toBe(200);
    },
  ],
  [
    "config API delete-session",
    async (s) => expect((await h.api(`/sid/${s.sid}`, { method: "DELETE" })).status).toBe(204),
  ],
  [
    "config API revoke-user-session",
    async () =>
      expect((await h.api(`/user/${encodeURIComponent(dn)}`, { method: "DELETE" })).status).toBe(204),
  ],
  ["PingAM logout", async (s) => expect((await am("logout", { tokenId: s.cookie })).status).toBe(200)],
  [
    "PingAM logoutByHandle",
    async (s) => expect((await am("logoutByHandle", { sessionHandles: [s.handle] })).status).toBe(200),
  ],
  [
    "PingAM logoutByUser",
    async () => expect((await am("logoutByUser", { username: userIdOfDn(dn) })).status).toBe(200),
  ],
  [
    "/api/admin terminate",
    async (s) =>
      expect(
        (await h.app.request(`/api/admin/sessions/${s.sid}`, { method: "DELETE", headers: await bearer() }))
          .status,
      ).toBe(204),
  ],
  [
    "/api/admin logout all",
    async () =>
      expect(
        (
          await h.app.request(`/api/admin/sessions?userId=${userIdOfDn(dn)}`, {
            method: "DELETE",
            headers: await bearer(),
          })
        ).status,
      ).toBe(200),
  ],
  [
    "the console's terminate",
    async (s) => {
      const page = `/admin/sessions/${encodeURIComponent(s.sid)}/terminate`;
      expect((await h.submit(page, page, {}, await consoleCookie())).status).toBe(303);
    },
  ],
  [
    "revoke_session",
    async () => {
      const res = await h.app.request("/jans-auth/restv1/revoke_session", {
        method: "POST",
        headers: {
          authorization: await basic(["revoke_session"]),
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ user_criterion_key: "uid", user_criterion_value: "alice" }),
      });
      expect(res.status).toBe(200);
    },
  ],
  [
    "global-token-revocation",
    async () => {
      const res = await h.app.request("/jans-auth/restv1/global-token-revocation", {
        method: "POST",
        headers: {
          authorization: await basic(["global_token_revocation"]),
          "content-type": "application/json",
        },
        body: JSON.stringify({ sub_id: { format: "inum", id: subjectOf(dn) } }),
      });
      expect(res.status).toBe(204);
    },
  ],
  [
    "Logout All Devices (from another session)",
    async () => {
      const mine = cookieOf(await h.login("alice"));
      const res = await h.app.request("/jans-auth/restv1/account/sessions/end", {
        method: "POST",
        headers: { cookie: `session_id=${mine}`, "content-type": "application/json" },
        body: JSON.stringify({ password: PASSWORD, scope: "others" }),
      });
      expect(await res.json()).toEqual({ ended: 1 });
    },
  ],
  [
    "disabling the user",
    async () =>
      expect(
        (
          await h.app.request(`/api/admin/users/${userIdOfDn(dn)}/disable`, {
            method: "POST",
            headers: await bearer(),
          })
        ).status,
      ).toBe(200),
  ],
  [
    "a password change",
    async () => h.deps.users.setPassword(dn, "another-long-password", { type: "admin", id: "t" }),
  ],
  [
    "re-authentication replacing the session",
    async (s) => expect((await h.login("alice", { cookie: s.cookie })).status).toBe(200),
  ],
  [
    "expiry, by the sweeper",
    async () => {
      h.clock.advance(601_000);
      expect((await sweepOnce(h.deps)).sessions).toBeGreaterThan(0);
    },
  ],
];

describe("back-channel logout", () => {
  it.each(ENDINGS)(
    "%s tells each RP that got an id_token, once, with a valid logout token",
    async (_, end) => {
      const s = await relied();
      await end(s);
      expect(await h.deps.sessions.get(s.sid)).toMatchObject({ ok: false });
      await h.deps.outbox.drain();
      expect(rx.refused).toEqual([]);
      const told = rx.accepted.filter((a) => a.sid === s.sid);
      expect(told.map((a) => a.aud).sort()).toEqual([rp.told1, rp.told2].sort());
      expect(told.every((a) => a.sub === subjectOf(dn))).toBe(true);
      expect(rx.repeats).toBe(0);
      const rows = await h.deps.store.outbox.bySid(s.sid);
      expect(rows.map((o) => [o.target, o.state]).sort()).toEqual(
        [
          [rp.told1, "delivered"],
          [rp.told2, "delivered"],
        ].sort(),
      );
    },
  );

  it("the console's Auth Audit shows, per ended session, which RPs were told", async () => {
    const s = await relied();
    const cookie = await consoleCookie();
    const page = `/admin/sessions/${encodeURIComponent(s.sid)}/terminate`;
    await h.submit(page, page, {}, cookie);
    await h.deps.outbox.drain();
    const html = await (await h.app.request("/admin/audit", { headers: { cookie } })).text();
    const told = [...html.matchAll(/data-rp="([^"]+)" data-state="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(told.sort()).toEqual([`${rp.told1} delivered`, `${rp.told2} delivered`].sort());
    expect(html).toContain("Relying parties told");
  });

  it("writes each attempt's outcome to the audit", async () => {
    const s = await relied();
    rx.down = true;
    await h.api(`/sid/${s.sid}`, { method: "DELETE" });
    await h.deps.outbox.drain();
    rx.down = false;
    h.clock.advance(h.deps.config.outboxRetryBase);
    await h.deps.outbox.drain();
    const audit = await h.deps.store.events.list({ types: ["delivery"], limit: 10, offset: 0 });
    const outcomes = audit.entries.map((e) => `${e.clientId} ${e.detail.attempt} ${e.detail.outcome}`).sort();
    expect(outcomes).toEqual(
      [
        `${rp.told1} 1 HTTP 503`,
        `${rp.told1} 2 HTTP 200`,
        `${rp.told2} 1 HTTP 503`,
        `${rp.told2} 2 HTTP 200`,
      ].sort(),
    );
    expect(audit.entries.every((e) => e.sid === s.sid && !JSON.stringify(e).includes("eyJ"))).toBe(true);
  });

  it("a receiver down for a while, then back, gets every logout exactly once by jti", async () => {
    const sessions = [];
    for (let i = 0; i < 4; i++) sessions.push(await relied());
    rx.down = true;
    expect((await h.api(`/user/${encodeURIComponent(dn)}`, { method: "DELETE" })).status).toBe(204);
    for (let i = 0; i < 3; i++) {
      await h.deps.outbox.drain();
      h.clock.advance(h.deps.config.outboxRetryBase * 2 ** i);
    }
    expect(rx.accepted).toEqual([]);
    rx.down = false;
    await h.deps.outbox.drain();
    // A lease that ran out while a delivery was in flight sends it again: the jti lets the RP drop it.
    const again = await h.deps.store.outbox.bySid(sessions[0]!.sid);
    await h.deps.store.outbox.settle(again[0]!.id, {
      state: "pending",
      nextAttemptAt: h.clock.now(),
      outcome: "lease lost",
    });
    await h.deps.outbox.drain();
    const told = new Set(rx.accepted.map((a) => `${a.aud} ${a.sid}`));
    expect(told.size).toBe(rx.accepted.length);
    expect(told).toEqual(new Set(sessions.flatMap((s) => [`${rp.told1} ${s.sid}`, `${rp.told2} ${s.sid}`])));
    expect(rx.repeats).toBe(1);
  });

  it("gives up after outboxAttempts and records it as failed; a client without a URI any more is not sent to", async () => {
    const s = await relied();
    rx.down = true;
    await h.api(`/sid/${s.sid}`, { method: "DELETE" });
    await h.deps.outbox.drain();
    // Unregistered after the first attempt: nothing more goes to the old URI.
    must(await h.deps.clients.update(rp.told2, { backchannelLogoutUri: null }));
    for (let i = 1; i < h.deps.config.outboxAttempts; i++) {
      h.clock.advance(h.deps.config.outboxRetryMax);
      await h.deps.outbox.drain();
    }
    const rows = await h.deps.store.outbox.bySid(s.sid);
    expect(rows.map((o) => [o.target, o.state, o.attempts]).sort()).toEqual(
      [
        [rp.told1, "failed", h.deps.config.outboxAttempts],
        [rp.told2, "failed", 2],
      ].sort(),
    );
  });

  it("the admin API reads and sets a client's registration", async () => {
    const call = async (method: string, body?: unknown) =>
      h.app.request(`/api/admin/clients/${rp.noUri}`, {
        method,
        headers: { ...(await bearer()), "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect(await (await call("GET")).json()).toMatchObject({ backchannel_logout_uri: null });
    const uri = `${rx.url}/rp/${rp.noUri}`;
    const set = await call("PATCH", {
      backchannel_logout_uri: uri,
      backchannel_logout_session_required: true,
    });
    expect(await set.json()).toMatchObject({
      backchannel_logout_uri: uri,
      backchannel_logout_session_required: true,
    });
    expect((await call("PATCH", { backchannel_logout_uri: "ftp://x" })).status).toBe(400);
    const s = await relied();
    await h.api(`/sid/${s.sid}`, { method: "DELETE" });
    await h.deps.outbox.drain();
    expect(rx.accepted.map((a) => a.aud).sort()).toEqual([rp.told1, rp.told2, rp.noUri].sort());
  });

  it("registration refuses a back-channel URI that is not absolute https (http on loopback only) or has a fragment", async () => {
    for (const uri of ["/bc", "http://rp.example/bc", "https://rp.example/bc#x"])
      expect(await h.deps.clients.update(rp.told1, { backchannelLogoutUri: uri })).toMatchObject({
        ok: false,
        error: { kind: "invalid", message: expect.stringContaining("backchannel_logout_uri") },
      });
    const discovery = (await (
      await h.app.request("/jans-auth/.well-known/openid-configuration")
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
  });
});
