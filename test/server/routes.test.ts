import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SCOPE } from "../../src/server/core/oauth/scopes.js";
import { sweepOnce } from "../../src/server/core/sweeper.js";
import { addUser, cookieOf, type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

type Page = {
  start: number;
  totalEntriesCount: number;
  entriesCount: number;
  entries: Record<string, unknown>[];
};

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(() => h.close());

async function sidOf(res: Response): Promise<string> {
  expect(res.status).toBe(200);
  return ((await res.json()) as { sid: string }).sid;
}

describe("session API", () => {
  it("get-sessions returns a paged result of live sessions", async () => {
    await addUser(h, "alice");
    await h.login("alice");
    await h.login("alice");
    const res = await h.api("");
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    expect(page).toMatchObject({ start: 0, totalEntriesCount: 2, entriesCount: 2 });
    expect(page.entries[0]).toMatchObject({
      state: "authenticated",
      sessionAttributes: { auth_user: "alice", acr: "simple_password_auth", user_agent: "vitest" },
    });
  });

  it("get-session-by-id finds a live session and 404s an unknown one with a JSON error", async () => {
    await addUser(h, "alice");
    const sid = await sidOf(await h.login("alice"));
    const res = await h.api(`/sid/${sid}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { sid: string }).sid).toBe(sid);
    const missing = await h.api("/sid/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "404", message: "Not Found" });
  });

  it("delete-session deletes once, then 404s", async () => {
    await addUser(h, "alice");
    const sid = await sidOf(await h.login("alice"));
    expect((await h.api(`/sid/${sid}`, { method: "DELETE" })).status).toBe(204);
    expect((await h.api(`/sid/${sid}`, { method: "DELETE" })).status).toBe(404);
    expect((await h.api(`/sid/${sid}`)).status).toBe(404);
  });

  it("revoke-user-session removes every session of that user (DN with commas) and nobody else's", async () => {
    const dn = await addUser(h, "alice");
    await addUser(h, "bob");
    await h.login("alice");
    await h.login("alice");
    const bobSid = await sidOf(await h.login("bob"));
    const res = await h.api(`/user/${encodeURIComponent(dn)}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    const page = (await (await h.api("")).json()) as Page;
    expect(page.entries.map((e) => e.sid)).toEqual([bobSid]);
    expect((await h.api(`/user/${encodeURIComponent(dn)}`, { method: "DELETE" })).status).toBe(404);
  });
});

describe("search-session", () => {
  beforeEach(async () => {
    for (const u of ["alice", "bob", "carol"]) await addUser(h, u);
    for (const u of ["alice", "alice", "bob", "carol"]) {
      await h.login(u);
      h.clock.advance(60_000);
    }
  });

  const search = async (q: Record<string, string>) => {
    const res = await h.api(`/search?${new URLSearchParams(q)}`);
    return { status: res.status, body: (await res.json()) as Page & { description?: string } };
  };

  it.each([
    [{ fieldValuePair: "auth_user=alice" }, 2],
    [{ fieldValuePair: "auth_user!=alice" }, 2],
    [{ fieldValuePair: "auth_user=alice,state=authenticated" }, 2],
    [{ fieldValuePair: "state=unauthenticated" }, 0],
    [{ fieldValuePair: "creationDate=2026-06-01" }, 4],
    [{ fieldValuePair: "creationDate>2026-06-01" }, 0],
    [{ fieldValuePair: "creationDate>=2026-06-01 12:01:00" }, 3],
    [{ fieldValuePair: "creationDate<2026-06-01T12:01:00Z" }, 1],
    [{ fieldValuePair: "creationDate<=2026-06-01 12:01:00" }, 2],
    [{ fieldValuePair: "expirationDate>2026-06-01 13:00:00" }, 3],
    [{ fieldValuePair: "permissionGranted=false" }, 4],
    [{ fieldValuePair: "acr_values=x" }, 0],
    [{ fieldValuePair: "user_agent=vitest" }, 4],
    [{ pattern: "CAR" }, 1],
    [{ pattern: "ro" }, 1],
    [{ pattern: "o" }, 4],
    [{ pattern: "zzz" }, 0],
    [{ pattern: "ali", fieldValuePair: "auth_user=bob" }, 0],
  ])("%j matches %d", async (q, n) => {
    const { status, body } = await search(q);
    expect(status).toBe(200);
    expect(body.totalEntriesCount).toBe(n);
    expect(body.entriesCount).toBe(n);
  });

  it("pages and sorts", async () => {
    const first = await search({
      limit: "2",
      startIndex: "0",
      sortBy: "creationDate",
      sortOrder: "descending",
    });
    expect(first.body).toMatchObject({ start: 0, totalEntriesCount: 4, entriesCount: 2 });
    const second = await search({
      limit: "2",
      startIndex: "2",
      sortBy: "creationDate",
      sortOrder: "descending",
    });
    const users = [...first.body.entries, ...second.body.entries].map(
      (e) => (e.sessionAttributes as Record<string, string>).auth_user,
    );
    expect(users).toEqual(["carol", "bob", "alice", "alice"]);
    const beyond = await search({ startIndex: "10" });
    expect(beyond.body).toMatchObject({ totalEntriesCount: 4, entriesCount: 0, entries: [] });
  });

  it.each([
    [{ limit: "201" }, /above the maximum of 200/],
    [{ limit: "0" }, /limit must be at least 1/],
    [{ limit: "ten" }, /limit must be an integer/],
    [{ startIndex: "-1" }, /startIndex must be at least 0/],
    [{ sortBy: "password" }, /sortBy "password"/],
    [{ sortOrder: "up" }, /sortOrder must be ascending or descending/],
    [{ fieldValuePair: "nosuch=1" }, /unknown field "nosuch"/],
    [{ fieldValuePair: "auth_user~x" }, /no operator after "auth_user"/],
    [{ fieldValuePair: "expirationDate>tomorrow" }, /unparsable date "tomorrow"/],
    [{ fieldValuePair: "permissionGranted<true" }, /operator "<" does not apply/],
    [{ fieldValuePair: "state=sleepy" }, /"state" takes authenticated or unauthenticated/],
  ])("%j is a 400 naming the problem", async (q, message) => {
    const { status, body } = await search(q);
    expect(status).toBe(400);
    expect(body.description).toMatch(message);
  });

  it("accepts a limit up to a configured maximum", async () => {
    const h2 = await harness({ maxSearchLimit: 500 });
    expect((await h2.api("/search?limit=500")).status).toBe(200);
    expect((await h2.api("/search?limit=501")).status).toBe(400);
    await h2.close();
  });

  it("treats values as data, never SQL", async () => {
    const { status, body } = await search({
      fieldValuePair: `auth_user="x' OR 1=1 --"`,
      pattern: "'; DROP TABLE x",
    });
    expect(status).toBe(200);
    expect(body.totalEntriesCount).toBe(0);
    expect((await search({})).body.totalEntriesCount).toBe(4);
  });
});

describe("OAuth guard", () => {
  it("401s without a token, with a bad one and with an expired one, with WWW-Authenticate", async () => {
    const none = await h.app.request("/jans-config-api/api/v1/jans-auth-server/session");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await h.api("", { token: "garbage" })).status).toBe(401);
    const short = await h.token();
    h.clock.advance(301_000);
    const expired = await h.api("", { token: short });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ description: "access token is expired" });
  });

  it("403s a token without the operation's scope", async () => {
    const readOnly = await h.token([SCOPE.sessionRead]);
    expect((await h.api("", { token: readOnly })).status).toBe(200);
    const res = await h.api("/sid/x", { method: "DELETE", token: readOnly });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toMatch(/insufficient_scope/);
    const deleteOnly = await h.token([SCOPE.sessionDelete]);
    expect((await h.api("/sid/x", { method: "DELETE", token: deleteOnly })).status).toBe(403);
    const deleter = await h.token([SCOPE.sessionDelete, SCOPE.revokeSession]);
    expect((await h.api("/sid/x", { method: "DELETE", token: deleter })).status).toBe(404);
    expect((await h.api("", { token: deleter })).status).toBe(403);
  });

  it("a revoked token stops working", async () => {
    const tok = await h.token();
    const res = await h.app.request("/jans-auth/restv1/revoke", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        token: tok,
        client_id: h.admin.client_id,
        client_secret: h.admin.client_secret,
      }),
    });
    expect(res.status).toBe(200);
    expect((await h.api("", { token: tok })).status).toBe(401);
  });
});

describe("token endpoint", () => {
  const post = (body: Record<string, string>, headers: Record<string, string> = {}) =>
    h.app.request("/jans-auth/restv1/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(body),
    });

  it("issues a JWT with client_secret_post and with client_secret_basic", async () => {
    const viaPost = await post({
      grant_type: "client_credentials",
      client_id: h.admin.client_id,
      client_secret: h.admin.client_secret,
      scope: SCOPE.sessionRead,
    });
    expect(viaPost.status).toBe(200);
    const body = (await viaPost.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 300, scope: SCOPE.sessionRead });
    expect(String(body.access_token).split(".")).toHaveLength(3);
    expect(viaPost.headers.get("cache-control")).toBe("no-store");
    const basic = Buffer.from(`${h.admin.client_id}:${h.admin.client_secret}`).toString("base64");
    expect(
      (await post({ grant_type: "client_credentials" }, { authorization: `Basic ${basic}` })).status,
    ).toBe(200);
  });

  it.each([
    [
      { grant_type: "client_credentials", client_id: "nobody", client_secret: "x" },
      false,
      401,
      "invalid_client",
    ],
    [{ grant_type: "client_credentials" }, false, 401, "invalid_client"],
    [{ grant_type: "password" }, true, 400, "unsupported_grant_type"],
    [{ grant_type: "client_credentials", scope: "made-up" }, true, 400, "invalid_scope"],
  ])("%j (with credentials: %s) is refused", async (body, withCreds, status, error) => {
    const creds: Record<string, string> = withCreds
      ? { client_id: h.admin.client_id, client_secret: h.admin.client_secret }
      : {};
    const res = await post({ ...creds, ...body });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: string }).error).toBe(error);
  });

  it("refuses a wrong secret and a mix of basic and post secrets", async () => {
    expect(
      (await post({ grant_type: "client_credentials", client_id: h.admin.client_id, client_secret: "x" }))
        .status,
    ).toBe(401);
    const basic = Buffer.from(`${h.admin.client_id}:${h.admin.client_secret}`).toString("base64");
    const both = await post(
      { grant_type: "client_credentials", client_secret: h.admin.client_secret },
      { authorization: `Basic ${basic}` },
    );
    expect(both.status).toBe(400);
  });

  it("publishes discovery and a JWKS that holds the signing key", async () => {
    const disc = (await (await h.app.request("/.well-known/openid-configuration")).json()) as Record<
      string,
      string
    >;
    expect(disc.token_endpoint).toBe("http://localhost/jans-auth/restv1/token");
    expect(disc.revocation_endpoint).toBe("http://localhost/jans-auth/restv1/revoke");
    const jwks = (await (await h.app.request("/jans-auth/restv1/jwks")).json()) as {
      keys: { kty: string; d?: string }[];
    };
    expect(jwks.keys[0]?.kty).toBe("OKP");
    expect(jwks.keys[0]?.d).toBeUndefined();
  });
});

describe("URLs the server publishes", () => {
  const ISSUER = "https://op.example:8443/jans-auth";
  it("discovery and the device verification URI come from the configured issuer, never from Host", async () => {
    const hh = await harness({}, { issuer: ISSUER });
    try {
      const spoofed = { headers: { host: "evil.example", "x-forwarded-host": "evil.example" } };
      const disc = (await (
        await hh.app.request("http://evil.example/.well-known/openid-configuration", spoofed)
      ).json()) as Record<string, unknown>;
      expect(disc.issuer).toBe(ISSUER);
      const urls = Object.values(disc).filter((v): v is string => typeof v === "string" && v.includes("://"));
      expect(urls.length).toBeGreaterThan(5);
      for (const u of urls) expect(u.startsWith("https://op.example:8443/")).toBe(true);
      const basic = Buffer.from(`${hh.admin.client_id}:${hh.admin.client_secret}`).toString("base64");
      const res = await hh.app.request("http://evil.example/jans-auth/restv1/device_authorization", {
        method: "POST",
        headers: {
          ...spoofed.headers,
          authorization: `Basic ${basic}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ scope: SCOPE.sessionRead }),
      });
      const d = (await res.json()) as Record<string, string>;
      expect(d.verification_uri).toBe("https://op.example:8443/jans-auth/device");
      expect(d.verification_uri_complete).toBe(
        `https://op.example:8443/jans-auth/device?user_code=${d.user_code}`,
      );
    } finally {
      await hh.close();
    }
  });
});

describe("lifecycle", () => {
  it("expires an idle authenticated session after sessionIdUnusedLifetime, unless used", async () => {
    await addUser(h, "alice");
    const res = await h.login("alice");
    const sid = await sidOf(res);
    const cookie = cookieOf(res);
    h.clock.advance(50 * 60_000);
    const status = await h.app.request("/jans-auth/restv1/session_status", {
      headers: { cookie: `session_id=${cookie}` },
    });
    expect(await status.json()).toMatchObject({ state: "authenticated", sid });
    h.clock.advance(50 * 60_000);
    expect((await h.api(`/sid/${sid}`)).status).toBe(200);
    h.clock.advance(11 * 60_000);
    expect((await h.api(`/sid/${sid}`)).status).toBe(404);
    const after = await h.app.request("/jans-auth/restv1/session_status", {
      headers: { cookie: `session_id=${cookie}` },
    });
    expect(await after.json()).toEqual({ state: "unknown" });
  });

  it("ends a session at sessionIdLifetime however often it is used", async () => {
    const hh = await harness({ sessionIdLifetime: 7200 });
    await addUser(hh, "alice");
    const res = await hh.login("alice");
    const cookie = cookieOf(res);
    for (let i = 0; i < 4; i++) {
      hh.clock.advance(30 * 60_000);
      await hh.app.request("/jans-auth/restv1/session_status", {
        headers: { cookie: `session_id=${cookie}` },
      });
    }
    const live = await hh.app.request("/jans-auth/restv1/session_status", {
      headers: { cookie: `session_id=${cookie}` },
    });
    expect(((await live.json()) as { state: string }).state).toBe("unknown");
    await hh.close();
  });

  it("an unauthenticated session lives sessionIdUnauthenticatedUnusedLifetime, login attempts refresh it, login replaces it", async () => {
    await addUser(h, "alice");
    const portal = await h.client("portal");
    const start = await h.app.request(`/jans-auth/restv1/authorize?client_id=${portal}`, {
      headers: { "user-agent": "ua" },
    });
    const cookie = cookieOf(start);
    const { sid } = (await start.json()) as { sid: string; state: string };
    expect((await h.api(`/sid/${sid}`)).status).toBe(200);
    h.clock.advance(100_000);
    expect((await h.login("alice", { cookie, password: "wrong-password-xx" })).status).toBe(401);
    h.clock.advance(100_000);
    const page = (await (await h.api(`/sid/${sid}`)).json()) as { state: string };
    expect(page.state).toBe("unauthenticated");
    const ok = await h.login("alice", { cookie });
    const signedIn = (await ok.json()) as { sid: string; state: string; auth_user: string };
    expect(signedIn).toMatchObject({ state: "authenticated", auth_user: "alice" });
    // A new session (new sid, new cookie) replaces the pre-login one, which is gone.
    expect(signedIn.sid).not.toBe(sid);
    expect(cookieOf(ok)).not.toBe(cookie);
    expect((await h.api(`/sid/${sid}`)).status).toBe(404);
    const after = (await (await h.api(`/sid/${signedIn.sid}`)).json()) as {
      sessionAttributes: Record<string, string>;
    };
    expect(after.sessionAttributes).toMatchObject({ client_id: portal, auth_user: "alice" });

    const idle = await h.app.request(`/jans-auth/restv1/authorize?client_id=${portal}`);
    const idleSid = ((await idle.json()) as { sid: string }).sid;
    h.clock.advance(121_000);
    expect((await h.api(`/sid/${idleSid}`)).status).toBe(404);
  });

  it("the sweeper purges expired sessions from storage", async () => {
    await addUser(h, "alice");
    await h.login("alice");
    await h.login("alice");
    expect(await h.deps.store.sessions.count()).toBe(2);
    expect((await sweepOnce(h.deps)).sessions).toBe(0);
    h.clock.advance(61 * 60_000);
    expect((await sweepOnce(h.deps)).sessions).toBe(2);
    expect(await h.deps.store.sessions.count()).toBe(0);
  });

  it("end_session ends the caller's own session", async () => {
    await addUser(h, "alice");
    const res = await h.login("alice");
    const sid = await sidOf(res);
    const cookie = cookieOf(res);
    const end = await h.app.request("/jans-auth/restv1/end_session", {
      method: "POST",
      headers: { cookie: `session_id=${cookie}` },
    });
    expect(end.status).toBe(204);
    expect((await h.api(`/sid/${sid}`)).status).toBe(404);
    const again = await h.app.request("/jans-auth/restv1/end_session", {
      method: "POST",
      headers: { cookie: `session_id=${cookie}` },
    });
    expect(again.status).toBe(404);
  });
});

describe("login", () => {
  it("locks after 10 consecutive failures for 15 minutes, then lets the right password in", async () => {
    await addUser(h, "alice");
    for (let i = 0; i < 9; i++)
      expect((await h.login("alice", { password: "wrong-password!" })).status).toBe(401);
    expect((await h.login("alice")).status).toBe(200);
    for (let i = 0; i < 10; i++)
      expect((await h.login("alice", { password: "wrong-password!" })).status).toBe(401);
    const locked = await h.login("alice");
    expect(locked.status).toBe(423);
    expect(Number(locked.headers.get("retry-after"))).toBe(900);
    h.clock.advance(14 * 60_000);
    expect((await h.login("alice")).status).toBe(423);
    h.clock.advance(61_000);
    expect((await h.login("alice")).status).toBe(200);
    expect((await h.login("alice", { password: "wrong-password!" })).status).toBe(401);
    expect((await h.login("alice")).status).toBe(200);
  });

  it("unknown users and missing fields are refused without detail", async () => {
    expect((await h.login("nobody")).status).toBe(401);
    const res = await h.app.request("/jans-auth/restv1/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(400);
  });

  it("100 parallel logins for one user make exactly 10 sessions", async () => {
    // A threshold above the burst, so every login is evaluated and the cap alone decides.
    const hh = await harness({ lockoutThreshold: 1000 });
    await addUser(hh, "alice");
    const results = await Promise.all(Array.from({ length: 100 }, () => hh.login("alice")));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(90);
    const page = (await (await hh.api("/search?fieldValuePair=auth_user%3Dalice")).json()) as Page;
    expect(page.totalEntriesCount).toBe(10);
    await hh.close();
  });
});

describe("device authorization grant and refresh tokens", () => {
  const form = (path: string, body: Record<string, string>) =>
    h.app.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body),
    });
  const creds = () => ({ client_id: h.admin.client_id, client_secret: h.admin.client_secret });
  const poll = async (deviceCode: string) => {
    const res = await form("/jans-auth/restv1/token", {
      ...creds(),
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      device_code: deviceCode,
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  const start = async () => {
    const res = await form("/jans-auth/restv1/device_authorization", {
      ...creds(),
      scope: SCOPE.sessionRead,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, string | number>;
  };

  it("issues tokens once a person approves the user code; polls too fast get slow_down", async () => {
    await addUser(h, "alice", ["api-viewer"]);
    const d = await start();
    expect(d).toMatchObject({ interval: 5, expires_in: 600 });
    expect(String(d.user_code)).toMatch(/^[B-Z]{4}-[B-Z]{4}$/);
    expect(d.verification_uri_complete).toBe(`http://localhost/jans-auth/device?user_code=${d.user_code}`);
    expect((await poll(String(d.device_code))).body.error).toBe("authorization_pending");
    const fast = await poll(String(d.device_code));
    expect(fast.body.error).toBe("slow_down");
    const page = await h.app.request(`/jans-auth/device?user_code=${d.user_code}`);
    const html = await page.text();
    expect(html).toContain(`value="${d.user_code}"`);
    // The page names the client and the scopes it asks for.
    expect(html).toContain(`<code>${h.admin.client_id}</code>`);
    expect(html).toContain(`<code>${SCOPE.sessionRead}</code>`);
    const device = `/jans-auth/device?user_code=${d.user_code}`;
    const noToken = await form("/jans-auth/device", {
      user_code: String(d.user_code),
      username: "alice",
      password: PASSWORD,
    });
    expect(noToken.status).toBe(403);
    const wrong = await h.submit(device, "/jans-auth/device", {
      user_code: String(d.user_code),
      username: "alice",
      password: "not-the-password",
    });
    expect(wrong.status).toBe(401);
    const ok = await h.submit(device, "/jans-auth/device", {
      user_code: String(d.user_code),
      username: "alice",
      password: PASSWORD,
      action: "approve",
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Device approved");
    h.clock.advance(11_000);
    const granted = await poll(String(d.device_code));
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ token_type: "Bearer", scope: SCOPE.sessionRead });
    expect(granted.body.refresh_token).toBeTruthy();
    expect((await h.api("", { token: granted.body.access_token })).status).toBe(200);
    expect((await poll(String(d.device_code))).body.error).toBe("invalid_grant");
    expect(h.deps.stats.deviceGrants).toBe(1);

    const refreshed = await form("/jans-auth/restv1/token", {
      ...creds(),
      grant_type: "refresh_token",
      refresh_token: granted.body.refresh_token!,
    });
    const rb = (await refreshed.json()) as Record<string, string>;
    expect(refreshed.status).toBe(200);
    expect(rb.refresh_token).not.toBe(granted.body.refresh_token);
    const reused = await form("/jans-auth/restv1/token", {
      ...creds(),
      grant_type: "refresh_token",
      refresh_token: granted.body.refresh_token!,
    });
    expect(((await reused.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("reports expired_token and access_denied", async () => {
    await addUser(h, "alice");
    const late = await start();
    h.clock.advance(601_000);
    expect((await poll(String(late.device_code))).body.error).toBe("expired_token");
    const denied = await start();
    await h.submit("/jans-auth/device", "/jans-auth/device", {
      user_code: String(denied.user_code),
      username: "alice",
      password: PASSWORD,
      action: "deny",
    });
    expect((await poll(String(denied.device_code))).body.error).toBe("access_denied");
  });
});
