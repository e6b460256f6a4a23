import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { importJWK, type JWK, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STYLESHEET } from "../../src/server/api/html.js";
import { createApp } from "../../src/server/app.js";
import { resolveConfig } from "../../src/server/core/config.js";
import { createCore } from "../../src/server/core/core.js";
import { SCOPE } from "../../src/server/core/oauth/scopes.js";
import { cookieHash } from "../../src/server/core/sessions.js";
import { startSweeper, sweepOnce } from "../../src/server/core/sweeper.js";
import { SqliteStore } from "../../src/server/store/sqlite/store.js";
import { addUser, cookieOf, type Harness, harness, PASSWORD } from "../helpers/server-harness.js";
import { session } from "./store/contract.js";

// The attacks of the security issue, each a test (docs/security.md names them).

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => h.close());

const status = (cookie: string) =>
  h.app.request("/jans-auth/restv1/session_status", { headers: { cookie: `session_id=${cookie}` } });
const stateOf = async (cookie: string) => ((await (await status(cookie)).json()) as { state: string }).state;
const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

describe("lockout, decided in the store before a password is evaluated", () => {
  it("50 parallel wrong passwords plus one correct: at most 10 evaluated, the correct one refused, the name locked", async () => {
    await addUser(h, "alice");
    const before = h.deps.stats.passwordChecks;
    const wrong = Array.from({ length: 50 }, (_, i) => h.login("alice", { password: `wrong-password-${i}` }));
    const results = await Promise.all(wrong);
    expect(h.deps.stats.passwordChecks - before).toBeLessThanOrEqual(10);
    expect(results.filter((r) => r.status === 200)).toHaveLength(0);
    // Once the burst is recorded (whatever order it was evaluated in), the right password is refused.
    expect((await h.login("alice")).status).toBe(423);
    expect(h.deps.stats.passwordChecks - before).toBeLessThanOrEqual(10);
    const after = await h.login("alice");
    expect(after.status).toBe(423);
    expect(Number(after.headers.get("retry-after"))).toBeGreaterThan(800);
    // A correct password during the lock gets the same answer as a wrong one.
    const wrongDuring = await h.login("alice", { password: "still-the-wrong-one" });
    expect([wrongDuring.status, await wrongDuring.json()]).toEqual([423, await after.json()]);
    h.clock.advance(901_000);
    expect((await h.login("alice")).status).toBe(200);
  });

  it("unknown user names get the same answers as known ones, lockout included", async () => {
    await addUser(h, "alice");
    const answers = async (name: string) => {
      const out: unknown[] = [];
      for (let i = 0; i < 11; i++) {
        const r = await h.login(name, { password: `wrong-password-${i}` });
        out.push([r.status, r.headers.get("retry-after"), await r.json()]);
      }
      return out;
    };
    const known = await answers("alice");
    const unknown = await answers("nobody-by-that-name");
    expect(unknown).toEqual(known);
    expect((known.at(-1) as unknown[])[0]).toBe(423);
  });

  it("too many attempts from one address are 429 with Retry-After", async () => {
    const hh = await harness({ loginAttemptsPerAddressPerMinute: 5 });
    await addUser(hh, "alice");
    const codes: number[] = [];
    for (let i = 0; i < 7; i++)
      codes.push((await hh.login("alice", { password: `wrong-password-${i}` })).status);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await hh.login("alice");
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    await hh.close();
  });
});

describe("session fixation", () => {
  it("login issues a new session_id and the pre-login cookie is refused", async () => {
    await addUser(h, "alice");
    const portal = await h.client();
    const pre = cookieOf(await h.app.request(`/jans-auth/restv1/authorize?client_id=${portal}`));
    const res = await h.login("alice", { cookie: pre });
    expect(res.status).toBe(200);
    const post = cookieOf(res);
    expect(post).not.toBe(pre);
    expect(await stateOf(pre)).toBe("unknown");
    expect(await stateOf(post)).toBe("authenticated");
    // Re-authentication too replaces the session.
    const again = await h.login("alice", { cookie: post });
    expect(cookieOf(again)).not.toBe(post);
    expect(await stateOf(post)).toBe("unknown");
  });

  it("changeSessionIdOnAuthentication false upgrades in place (Janssen's switch)", async () => {
    const hh = await harness({ changeSessionIdOnAuthentication: false });
    await addUser(hh, "alice");
    const pre = cookieOf(await hh.app.request(`/jans-auth/restv1/authorize?client_id=${await hh.client()}`));
    const res = await hh.login("alice", { cookie: pre });
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(((await res.json()) as { state: string }).state).toBe("authenticated");
    await hh.close();
  });

  it("session cookies are 256 bits from the CSPRNG, never repeated", async () => {
    const hh = await harness({ maxUnauthenticatedSessionsPerAddress: 0 });
    const portal = await hh.client();
    const cookies = new Set<string>();
    for (let i = 0; i < 200; i++)
      cookies.add(cookieOf(await hh.app.request(`/jans-auth/restv1/authorize?client_id=${portal}`)));
    await hh.close();
    expect(cookies.size).toBe(200);
    for (const c of cookies) expect(c).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe("input the parsers and the store never see", () => {
  const PROTO = [
    "constructor",
    "__proto__",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "__defineGetter__",
  ];
  it.each(PROTO)("fieldValuePair and sortBy naming %s are 400", async (name) => {
    const fvp = await h.api(`/search?fieldValuePair=${encodeURIComponent(`${name}=x`)}`);
    expect(fvp.status).toBe(400);
    expect((await json(fvp)).description).toContain(`unknown field "${name}"`);
    expect((await h.api(`/search?sortBy=${name}`)).status).toBe(400);
  });

  it.each([
    ["pattern=a%00b", "pattern"],
    ["pattern=%00", "pattern"],
    ["fieldValuePair=auth_user%3Da%01b", "fieldValuePair"],
    ["limit=1%0A", "limit"],
  ])("%s is a 400 naming %s", async (query, name) => {
    const res = await h.api(`/search?${query}`);
    expect(res.status).toBe(400);
    expect((await json(res)).description).toBe(`query parameter ${name} contains a control character`);
  });

  it("a path with a control character is a 400", async () => {
    expect((await h.api("/sid/a%00b")).status).toBe(400);
  });

  it("a 1 MB body is refused with 413 before it is read", async () => {
    const big = JSON.stringify({ username: "x".repeat(1_000_000), password: "y" });
    const login = await h.app.request("/jans-auth/restv1/login", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(big.length) },
      body: big,
    });
    expect(login.status).toBe(413);
    const token = await h.app.request("/jans-auth/restv1/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `grant_type=client_credentials&x=${"z".repeat(1_000_000)}`,
    });
    expect(token.status).toBe(413);
  });

  it("stored attributes are bounded: a long user agent is cut, a long acr_values refused", async () => {
    await addUser(h, "alice");
    const res = await h.app.request("/jans-auth/restv1/login", {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "u".repeat(16_000) },
      body: JSON.stringify({ username: "alice", password: PASSWORD }),
    });
    const { sid } = (await res.json()) as { sid: string };
    const stored = (await json(await h.api(`/sid/${sid}`))).sessionAttributes as Record<string, string>;
    expect(stored.user_agent).toHaveLength(256);
    const long = await h.app.request(
      `/jans-auth/restv1/authorize?client_id=${await h.client()}&acr_values=${"a".repeat(300)}`,
    );
    expect(long.status).toBe(400);
  });
});

describe("unauthenticated sessions are limited", () => {
  it("per address: 429 with Retry-After once the address has the maximum waiting", async () => {
    const hh = await harness({ maxUnauthenticatedSessionsPerAddress: 20 });
    const portal = await hh.client();
    const codes: number[] = [];
    for (let i = 0; i < 25; i++)
      codes.push((await hh.app.request(`/jans-auth/restv1/authorize?client_id=${portal}`)).status);
    expect(codes.filter((c) => c === 200)).toHaveLength(20);
    const refused = await hh.app.request(`/jans-auth/restv1/authorize?client_id=${portal}`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("120");
    // Room again once they expire.
    hh.clock.advance(121_000);
    expect((await hh.app.request(`/jans-auth/restv1/authorize?client_id=${portal}`)).status).toBe(200);
    await hh.close();
  });

  it("only registered clients start one", async () => {
    expect((await h.app.request("/jans-auth/restv1/authorize?client_id=made-up")).status).toBe(400);
  });
});

describe("the server decides what a session records", () => {
  it("acr is the method used and client_id the registered client that started the flow, whatever the body says", async () => {
    await addUser(h, "alice");
    const res = await h.app.request("/jans-auth/restv1/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        username: "alice",
        password: PASSWORD,
        acr: "mfa_otp_strong",
        client_id: "evil",
      }),
    });
    const { sid } = (await res.json()) as { sid: string };
    const attrs = (await json(await h.api(`/sid/${sid}`))).sessionAttributes as Record<string, string>;
    expect(attrs.acr).toBe("simple_password_auth");
    expect(attrs.client_id).toBeUndefined();
  });
});

describe("cookies and pages", () => {
  it("session_id is HttpOnly, SameSite=Lax, Path=/jans-auth, Max-Age per sessionIdCookieLifetime", async () => {
    await addUser(h, "alice");
    const cookie = (await h.login("alice")).headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/jans-auth/);
    expect(cookie).toMatch(/Max-Age=86400/);
    expect(cookie).not.toMatch(/Secure/);
    for (const lifetime of [0, -1]) {
      const hh = await harness({ sessionIdCookieLifetime: lifetime });
      await addUser(hh, "bob");
      expect((await hh.login("bob")).headers.get("set-cookie")).not.toMatch(/Max-Age|Expires/);
      await hh.close();
    }
  });

  it.each(["/jans-auth/device", "/jans-auth/login", "/jans-auth/restv1/end_session", "/health"])(
    "%s cannot be framed",
    async (path) => {
      const res = await h.app.request(path);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    },
  );

  it("a real socket gets the same security headers as an in-process request, pages their own policy", async () => {
    // Over a socket they are set on node's response (not on WHATWG Headers); each must match.
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const names = [
      "x-frame-options",
      "x-content-type-options",
      "referrer-policy",
      "content-security-policy",
      "cache-control",
      "strict-transport-security",
    ];
    const pick = (r: Response) => Object.fromEntries(names.map((n) => [n, r.headers.get(n)]));
    try {
      const paths = [
        "/health",
        "/jans-auth/login",
        "/jans-auth/device",
        "/jans-auth/restv1/session_status",
        "/no/such/path",
        STYLESHEET,
      ];
      for (const path of paths) {
        const [socket, inProcess] = [await fetch(base + path), await h.app.request(path)];
        expect(pick(socket), path).toEqual(pick(inProcess));
        expect(socket.headers.get("x-frame-options"), path).toBe("DENY");
        const page = (socket.headers.get("content-type") ?? "").startsWith("text/html");
        expect(socket.headers.get("content-security-policy"), path).toContain(
          page ? "style-src 'self'" : "default-src 'none'; frame-ancestors 'none'",
        );
        if (page) expect(socket.headers.get("cache-control"), path).toBe("no-store");
      }
      expect((await fetch(base + STYLESHEET)).headers.get("cache-control")).toContain("max-age");
      expect((await fetch(`${base}/jans-auth/restv1/session_status`)).headers.get("cache-control")).toBe(
        "no-store",
      );
      // A token endpoint's refusal is never cached either.
      const token = () => ({
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials&client_id=nobody&client_secret=wrong",
      });
      const [socket, inProcess] = [
        await fetch(`${base}/jans-auth/restv1/token`, token()),
        await h.app.request("/jans-auth/restv1/token", token()),
      ];
      expect(pick(socket)).toEqual(pick(inProcess));
      expect([socket.status, socket.headers.get("cache-control")]).toEqual([401, "no-store"]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("every HTML answer goes through htmlResponse (its CSP and no-store)", () => {
    const files = readdirSync("src/server", { recursive: true, encoding: "utf8" }).filter((f) =>
      /\.tsx?$/.test(f),
    );
    const html = files.filter((f) =>
      /\bc\.html\(|\.html\(`/.test(readFileSync(join("src/server", f), "utf8")),
    );
    expect(files.length).toBeGreaterThan(100);
    expect(html).toEqual([join("api", "middleware", "security-headers.ts")]);
  });

  it("pages have a CSP without inline script", async () => {
    const csp = (await h.app.request("/jans-auth/login")).headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
  });
});

describe("CSRF", () => {
  it("the login form needs its token; with it, the person is signed in", async () => {
    await addUser(h, "alice");
    const bare = await h.app.request("/jans-auth/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "alice", password: PASSWORD }),
    });
    expect(bare.status).toBe(403);
    const ok = await h.submit("/jans-auth/login", "/jans-auth/login", {
      username: "alice",
      password: PASSWORD,
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("set-cookie")).toMatch(/session_id=/);
  });

  it("a form login at the API also needs the token; JSON from tools does not", async () => {
    await addUser(h, "alice");
    const form = await h.app.request("/jans-auth/restv1/login", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: "alice", password: PASSWORD }),
    });
    expect(form.status).toBe(403);
    expect((await h.login("alice")).status).toBe(200);
  });

  it("GET end_session only asks; a cross-site POST is refused; a same-site one ends the session", async () => {
    await addUser(h, "alice");
    const cookie = cookieOf(await h.login("alice"));
    const ask = await h.app.request("/jans-auth/restv1/end_session", {
      headers: { cookie: `session_id=${cookie}` },
    });
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('<form method="post" action="/jans-auth/restv1/end_session">');
    expect(await stateOf(cookie)).toBe("authenticated");
    const cross = await h.app.request("/jans-auth/restv1/end_session", {
      method: "POST",
      headers: { cookie: `session_id=${cookie}`, origin: "https://evil.example" },
    });
    expect(cross.status).toBe(403);
    expect(await stateOf(cookie)).toBe("authenticated");
    const ended = await h.submit(
      "/jans-auth/restv1/end_session",
      "/jans-auth/restv1/end_session",
      {},
      `session_id=${cookie}`,
    );
    expect(ended.status).toBe(200);
    expect(await ended.text()).toContain("You are signed out.");
    expect(await stateOf(cookie)).toBe("unknown");
  });
});

describe("access tokens", () => {
  async function forged(claims: Record<string, unknown>, opts: { aud?: string; exp?: boolean } = {}) {
    const key = (await h.deps.store.keys.current())!;
    const jwk = JSON.parse(key.privateJwk) as JWK;
    const now = Math.floor(h.clock.now() / 1000);
    let jwt = new SignJWT({ scope: SCOPE.sessionAdmin, client_id: h.admin.client_id, ...claims })
      .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: "at+jwt" })
      .setIssuer(h.deps.tokens.issuer)
      .setSubject(h.admin.client_id)
      .setIssuedAt(now)
      .setJti(`j-${Math.random()}`);
    if (opts.aud) jwt = jwt.setAudience(opts.aud);
    if (opts.exp !== false) jwt = jwt.setExpirationTime(now + 60);
    return jwt.sign(await importJWK(jwk, "EdDSA"));
  }

  it("need our audience and an exp, even when signed with our key", async () => {
    expect((await h.api("", { token: await forged({}, { aud: h.deps.tokens.audience }) })).status).toBe(200);
    expect((await h.api("", { token: await forged({}) })).status).toBe(401);
    expect((await h.api("", { token: await forged({}, { aud: "https://elsewhere" }) })).status).toBe(401);
    expect(
      (await h.api("", { token: await forged({}, { aud: h.deps.tokens.audience, exp: false }) })).status,
    ).toBe(401);
  });
});

describe("ending sessions and tokens (ASVS 7.4, 7.5)", () => {
  async function deviceTokens(username: string) {
    const creds = { client_id: h.admin.client_id, client_secret: h.admin.client_secret };
    const post = (path: string, body: Record<string, string>) =>
      h.app.request(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body),
      });
    const d = (await (
      await post("/jans-auth/restv1/device_authorization", { ...creds, scope: SCOPE.sessionRead })
    ).json()) as Record<string, string>;
    const page = `/jans-auth/device?user_code=${d.user_code}`;
    expect(
      (
        await h.submit(page, "/jans-auth/device", {
          user_code: d.user_code!,
          username,
          password: PASSWORD,
          action: "approve",
        })
      ).status,
    ).toBe(200);
    const grant = {
      ...creds,
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      device_code: d.device_code!,
    };
    const tokens = (await (await post("/jans-auth/restv1/token", grant)).json()) as Record<string, string>;
    const refresh = () =>
      post("/jans-auth/restv1/token", {
        ...creds,
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token!,
      });
    return { access: tokens.access_token!, refresh };
  }

  it("disabling a user ends their sessions, refresh and access tokens, and sign-in (7.4.2; Zitadel CVE-2023-22492)", async () => {
    const dn = await addUser(h, "alice", ["api-viewer"]);
    const cookies = [cookieOf(await h.login("alice")), cookieOf(await h.login("alice"))];
    const t = await deviceTokens("alice");
    expect((await h.api("", { token: t.access })).status).toBe(200);
    h.clock.advance(1000);
    expect(await h.deps.users.setDisabled(dn, true, { type: "admin", id: "test" })).toBe(true);
    for (const c of cookies) expect(await stateOf(c)).toBe("unknown");
    expect((await h.api("", { token: t.access })).status).toBe(401);
    expect(((await (await t.refresh()).json()) as { error: string }).error).toBe("invalid_grant");
    expect((await h.login("alice")).status).toBe(401);
  });

  it("changing the password ends the user's other sessions and tokens, not the one that changed it (7.4.3)", async () => {
    await addUser(h, "alice", ["api-viewer"]);
    const mine = cookieOf(await h.login("alice"));
    const other = cookieOf(await h.login("alice"));
    const t = await deviceTokens("alice");
    h.clock.advance(1000);
    const change = (current: string) =>
      h.app.request("/jans-auth/restv1/account/password", {
        method: "POST",
        headers: { cookie: `session_id=${mine}`, "content-type": "application/json" },
        body: JSON.stringify({ current_password: current, new_password: "a-brand-new-password" }),
      });
    expect((await change("not-the-password")).status).toBe(403);
    const res = await change(PASSWORD);
    expect(await res.json()).toEqual({ endedSessions: 1 });
    expect(await stateOf(mine)).toBe("authenticated");
    expect(await stateOf(other)).toBe("unknown");
    expect((await h.api("", { token: t.access })).status).toBe(401);
    expect((await h.login("alice")).status).toBe(401);
    expect((await h.login("alice", { password: "a-brand-new-password" })).status).toBe(200);
  });

  it("a person sees their sessions and ends others after re-entering the password (7.5.2)", async () => {
    await addUser(h, "alice");
    const mine = cookieOf(await h.login("alice"));
    const other = cookieOf(await h.login("alice"));
    const list = await h.app.request("/jans-auth/restv1/account/sessions", {
      headers: { cookie: `session_id=${mine}` },
    });
    const { entries } = (await list.json()) as { entries: { sid: string; current: boolean }[] };
    expect(entries).toHaveLength(2);
    expect(entries.filter((e) => e.current)).toHaveLength(1);
    const end = (body: object) =>
      h.app.request("/jans-auth/restv1/account/sessions/end", {
        method: "POST",
        headers: { cookie: `session_id=${mine}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await end({ password: "nope-nope-nope", scope: "others" })).status).toBe(403);
    expect(await (await end({ password: PASSWORD, scope: "others" })).json()).toEqual({ ended: 1 });
    expect(await stateOf(other)).toBe("unknown");
    expect(await stateOf(mine)).toBe("authenticated");
  });

  it("a session deleted through the admin API is refused on its very next request (authentik CVE-2025-29928)", async () => {
    await addUser(h, "alice");
    const res = await h.login("alice");
    const cookie = cookieOf(res);
    const { sid } = (await res.json()) as { sid: string };
    expect((await h.api(`/sid/${sid}`, { method: "DELETE" })).status).toBe(204);
    expect(await stateOf(cookie)).toBe("unknown");
    const account = await h.app.request("/jans-auth/restv1/account/sessions", {
      headers: { cookie: `session_id=${cookie}` },
    });
    expect(account.status).toBe(401);
  });

  it("'log out everywhere' leaves no device signed in", async () => {
    const dn = await addUser(h, "alice");
    const devices = [];
    for (let i = 0; i < 5; i++) devices.push(cookieOf(await h.login("alice")));
    expect((await h.api(`/user/${encodeURIComponent(dn)}`, { method: "DELETE" })).status).toBe(204);
    for (const c of devices) expect(await stateOf(c)).toBe("unknown");
    expect((await h.api(`/search?fieldValuePair=${encodeURIComponent(`userDn="${dn}"`)}`)).status).toBe(200);
  });
});

describe("the sweeper", () => {
  it("sweeps in small batches, yielding to requests, and gives the space back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opcli-sweep-"));
    const file = join(dir, "s.db");
    const store = new SqliteStore({ path: file });
    const core = await createCore({ store, config: resolveConfig({ passwordHashCost: 1024 }) });
    const now = core.clock.now();
    const attrs = { user_agent: "x".repeat(200), remote_ip: "10.0.0.1", auth_user: "bulk" };
    for (let b = 0; b < 5; b++)
      await store.sessions.insertMany(
        Array.from({ length: 1000 }, () => ({
          ...session({ expiresAt: now - 1, attributes: attrs }),
          cookieHash: cookieHash(`${Math.random()}`),
        })),
      );
    const full = statSync(file).size + statSync(`${file}-wal`).size;
    let ticks = 0;
    const tick = () => {
      ticks++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const stats = await sweepOnce(core);
    done = true;
    expect(stats.sessions).toBe(5000);
    expect(stats.batches).toBe(26);
    // Other work ran between the batches: the event loop was never held for the whole sweep.
    expect(ticks).toBeGreaterThanOrEqual(20);
    (store as unknown as { db: { exec(s: string): void } }).db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(statSync(file).size).toBeLessThan(full / 2);
    await store.close();
  });

  it("sweepInterval 0 disables it instead of spinning", async () => {
    let sweeps = 0;
    const core = await createCore({
      store: new SqliteStore({ path: ":memory:" }),
      config: resolveConfig({ sweepInterval: 0 }),
    });
    const real = core.store.sessions.sweepExpired.bind(core.store.sessions);
    core.store.sessions.sweepExpired = async (n, b) => {
      sweeps++;
      return real(n, b);
    };
    const stop = startSweeper(core);
    await new Promise((r) => setTimeout(r, 50));
    stop();
    expect(sweeps).toBe(0);
    await core.store.close();
  });
});

describe("the app as a whole", () => {
  it("answers 401 for a session-less account request and never leaks a stack", async () => {
    const app = createApp(h.deps);
    const res = await app.request("/jans-auth/restv1/account/sessions");
    expect(res.status).toBe(401);
    expect(await res.text()).not.toMatch(/at .*\.ts:\d+/);
  });
});
