import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pkce, TestBrowser } from "../helpers/browser.js";
import { appTransport, runInProcess, testEnv } from "../helpers/cli-io.js";
import { must } from "../helpers/must.js";
import { addUser, type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

// Sessions as an OpenID Provider makes them: two relying parties, SSO, and every way of ending it.

interface Rp {
  id: string;
  secret?: string;
  redirect: string;
  bye?: string;
}

let h: Harness;
let rp1: Rp;
let rp2: Rp;
beforeEach(async () => {
  h = await harness();
  await addUser(h, "alice");
  const c1 = must(
    await h.deps.clients.create("rp1", ["openid", "profile", "offline_access"], {
      redirectUris: ["https://rp1.example/cb"],
      postLogoutRedirectUris: ["https://rp1.example/bye"],
    }),
  );
  rp1 = {
    id: c1.client_id,
    secret: c1.client_secret!,
    redirect: "https://rp1.example/cb",
    bye: "https://rp1.example/bye",
  };
  const c2 = must(
    await h.deps.clients.create("rp2", ["openid", "profile"], {
      type: "public",
      redirectUris: ["https://rp2.example/cb"],
    }),
  );
  rp2 = { id: c2.client_id, redirect: "https://rp2.example/cb" };
});
afterEach(async () => h.close());

function authorizeUrl(rp: Rp, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: rp.id,
    redirect_uri: rp.redirect,
    scope: "openid profile",
    state: "st-1",
    nonce: "n-1",
    ...extra,
  });
  return `/jans-auth/restv1/authorize?${q}`;
}

async function token(rp: Rp, fields: Record<string, string>) {
  const body = new URLSearchParams({ ...fields, ...(rp.secret ? {} : { client_id: rp.id }) });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (rp.secret) headers.authorization = `Basic ${Buffer.from(`${rp.id}:${rp.secret}`).toString("base64")}`;
  const res = await h.app.request("/jans-auth/restv1/token", { method: "POST", headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

const codeOf = (u: Response | URL) => {
  if (!(u instanceof URL)) throw new Error(`no redirect to the RP (status ${u.status})`);
  return u.searchParams.get("code")!;
};

async function signedIn(browser: TestBrowser, rp: Rp, extra: Record<string, string> = {}) {
  const login = await browser.follow(await browser.get(authorizeUrl(rp, extra)));
  if (login instanceof URL) return login;
  expect(login.status).toBe(200);
  return browser.signIn(login, "alice", PASSWORD);
}

const userinfo = (accessToken: string) =>
  h.app.request("/jans-auth/restv1/userinfo", { headers: { authorization: `Bearer ${accessToken}` } });

describe("single sign-on across two relying parties", () => {
  it("RP1 signs in, RP2 gets a code without a prompt; after delete-session RP2 needs a login, RP1's tokens are refused", async () => {
    const browser = new TestBrowser(h.app);
    const back = await signedIn(browser, rp1, { scope: "openid profile offline_access" });
    expect(back).toBeInstanceOf(URL);
    expect((back as URL).searchParams.get("state")).toBe("st-1");
    const t1 = await token(rp1, {
      grant_type: "authorization_code",
      code: codeOf(back),
      redirect_uri: rp1.redirect,
    });
    expect(t1.status).toBe(200);
    const jwks = createLocalJWKSet(
      (await (await h.app.request("/jans-auth/restv1/jwks")).json()) as { keys: [] },
    );
    const { payload: id1 } = await jwtVerify(t1.body.id_token!, jwks, {
      issuer: h.deps.tokens.issuer,
      audience: rp1.id,
      currentDate: new Date(h.clock.now()),
    });
    expect(id1).toMatchObject({ nonce: "n-1", acr: "simple_password_auth" });
    expect(typeof id1.sid).toBe("string");
    expect(typeof id1.auth_time).toBe("number");
    expect((await userinfo(t1.body.access_token!)).status).toBe(200);

    const { verifier, challenge } = pkce();
    const sso = await browser.follow(
      await browser.get(
        authorizeUrl(rp2, { prompt: "none", code_challenge: challenge, code_challenge_method: "S256" }),
      ),
    );
    const t2 = await token(rp2, {
      grant_type: "authorization_code",
      code: codeOf(sso),
      redirect_uri: rp2.redirect,
      code_verifier: verifier,
    });
    expect(t2.status).toBe(200);
    expect(decodeJwt(t2.body.id_token!).sid).toBe(id1.sid);

    const env = testEnv({ OPCLI_HOST: "http://ref.test", OPCLI_ACCESS_TOKEN: await h.token() });
    const deleted = await runInProcess(
      ["--operation-id", "delete-session", "--url-suffix", `sid:${id1.sid}`],
      {
        env,
        transport: appTransport(h.app),
      },
    );
    expect(deleted.code).toBe(0);

    const again = await browser.follow(
      await browser.get(
        authorizeUrl(rp2, { prompt: "none", code_challenge: challenge, code_challenge_method: "S256" }),
      ),
    );
    expect((again as URL).searchParams.get("error")).toBe("login_required");
    expect(
      (await token(rp1, { grant_type: "refresh_token", refresh_token: t1.body.refresh_token! })).body.error,
    ).toBe("invalid_grant");
    expect((await userinfo(t1.body.access_token!)).status).toBe(401);
  });

  it("an authorization request that finds the session is a use of it", async () => {
    const browser = new TestBrowser(h.app);
    const first = await signedIn(browser, rp1);
    const { sid } = decodeJwt(
      (
        await token(rp1, {
          grant_type: "authorization_code",
          code: codeOf(first),
          redirect_uri: rp1.redirect,
        })
      ).body.id_token!,
    ) as { sid: string };
    const before = ((await (await h.api(`/sid/${sid}`)).json()) as { lastUsedAt: string }).lastUsedAt;
    h.clock.advance(60_000);
    await browser.follow(await browser.get(authorizeUrl(rp1, { prompt: "none" })));
    const after = ((await (await h.api(`/sid/${sid}`)).json()) as { lastUsedAt: string }).lastUsedAt;
    expect(Date.parse(after) - Date.parse(before)).toBe(60_000);
  });

  it("prompt=login and an exceeded max_age ask for the password again, with a new auth_time", async () => {
    const browser = new TestBrowser(h.app);
    await signedIn(browser, rp1);
    h.clock.advance(10_000);
    const forced = await browser.follow(await browser.get(authorizeUrl(rp1, { prompt: "login" })));
    expect(forced).not.toBeInstanceOf(URL);
    const back = await browser.signIn(forced as Response, "alice", PASSWORD);
    const t = await token(rp1, {
      grant_type: "authorization_code",
      code: codeOf(back),
      redirect_uri: rp1.redirect,
    });
    expect(decodeJwt(t.body.id_token!).auth_time).toBe(Math.floor(h.clock.now() / 1000));
    h.clock.advance(5_000);
    expect(await browser.follow(await browser.get(authorizeUrl(rp1, { max_age: "60" })))).toBeInstanceOf(URL);
    expect(await browser.follow(await browser.get(authorizeUrl(rp1, { max_age: "2" })))).not.toBeInstanceOf(
      URL,
    );
  });
});

describe("re-authentication replaces the session (ASVS 7.2.4, issue 21 H5)", () => {
  it("prompt=login ends the old authenticated session and its tokens when the new sign-in is made, never before", async () => {
    const browser = new TestBrowser(h.app);
    const first = await token(rp1, {
      grant_type: "authorization_code",
      code: codeOf(await signedIn(browser, rp1, { scope: "openid profile offline_access" })),
      redirect_uri: rp1.redirect,
    });
    const oldSid = String(decodeJwt(first.body.id_token!).sid);
    expect(oldSid).not.toBe("undefined");
    // Until the password is typed again, the old session and its tokens still work.
    const forced = await browser.follow(await browser.get(authorizeUrl(rp1, { prompt: "login" })));
    expect(forced).not.toBeInstanceOf(URL);
    expect((await userinfo(first.body.access_token!)).status).toBe(200);
    expect((await h.api(`/sid/${oldSid}`)).status).toBe(200);
    await browser.signIn(forced as Response, "alice", PASSWORD);
    expect((await h.api(`/sid/${oldSid}`)).status).toBe(404);
    expect((await userinfo(first.body.access_token!)).status).toBe(401);
    const r = await token(rp1, { grant_type: "refresh_token", refresh_token: first.body.refresh_token! });
    expect(r.body.error).toBe("invalid_grant");
  });

  it("twelve re-logins in one browser leave one session, and the user can still sign in elsewhere", async () => {
    const browser = new TestBrowser(h.app);
    await signedIn(browser, rp1);
    for (let i = 0; i < 12; i++) {
      h.clock.advance(1000);
      const forced = await browser.follow(await browser.get(authorizeUrl(rp1, { prompt: "login" })));
      expect(await browser.signIn(forced as Response, "alice", PASSWORD)).toBeInstanceOf(URL);
    }
    const dn = (await h.deps.users.findBy("uid", "alice"))!.dn;
    expect(await h.deps.sessions.ofUser(dn)).toHaveLength(1);
    expect((await h.login("alice")).status).toBe(200);
  });
});

describe("the code flow's checks", () => {
  it("a repeated parameter is invalid_request; a repeated client_id or redirect_uri is refused on a page", async () => {
    const browser = new TestBrowser(h.app);
    const twice = `${authorizeUrl(rp1)}&scope=openid`;
    const res = await browser.get(twice);
    expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    const redirect = await browser.get(
      `${authorizeUrl(rp1)}&redirect_uri=${encodeURIComponent("https://evil.example/cb")}`,
    );
    expect([redirect.status, redirect.headers.get("location")]).toEqual([400, null]);
  });

  it("the login page's form may lead on to the relying party's origin, and to no other (form-action, H4)", async () => {
    const browser = new TestBrowser(h.app);
    const login = await browser.follow(await browser.get(authorizeUrl(rp1)));
    const csp = (login as Response).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("form-action 'self' https://rp1.example;");
    const plain = await h.app.request("/jans-auth/login");
    expect(plain.headers.get("content-security-policy")).toContain("form-action 'self';");
    const forged = await h.app.request(
      `/jans-auth/login?continue=${encodeURIComponent(`/jans-auth/restv1/authorize?client_id=${rp1.id}&redirect_uri=https://evil.example/cb`)}`,
    );
    expect(forged.headers.get("content-security-policy")).toContain("form-action 'self';");
  });

  it("refuses unknown clients and unregistered redirect URIs on a page, without redirecting", async () => {
    const browser = new TestBrowser(h.app);
    for (const url of [
      authorizeUrl({ ...rp1, id: "nobody" }),
      authorizeUrl({ ...rp1, redirect: "https://evil.example/cb" }),
    ]) {
      const res = await browser.get(url);
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
    }
  });

  it("sends other errors back to the client: bad response_type, scope, prompt, PKCE", async () => {
    const browser = new TestBrowser(h.app);
    const errorOf = async (rp: Rp, extra: Record<string, string>) =>
      new URL((await browser.get(authorizeUrl(rp, extra))).headers.get("location")!).searchParams.get(
        "error",
      );
    expect(await errorOf(rp1, { response_type: "token" })).toBe("unsupported_response_type");
    expect(await errorOf(rp1, { scope: "openid email" })).toBe("invalid_scope");
    expect(await errorOf(rp1, { prompt: "none login" })).toBe("invalid_request");
    expect(await errorOf(rp1, { prompt: "consent" })).toBe("consent_required");
    expect(await errorOf(rp2, {})).toBe("invalid_request");
    expect(await errorOf(rp1, { code_challenge: "x".repeat(43), code_challenge_method: "plain" })).toBe(
      "invalid_request",
    );
  });

  it("a code is good once, for its redirect URI, with its verifier", async () => {
    const browser = new TestBrowser(h.app);
    const { verifier, challenge } = pkce();
    const back = await signedIn(browser, rp2, { code_challenge: challenge, code_challenge_method: "S256" });
    const code = codeOf(back);
    const wrongVerifier = await token(rp2, {
      grant_type: "authorization_code",
      code,
      redirect_uri: rp2.redirect,
      code_verifier: pkce().verifier,
    });
    expect(wrongVerifier.body.error).toBe("invalid_grant");
    // The failed attempt used the code up.
    const reused = await token(rp2, {
      grant_type: "authorization_code",
      code,
      redirect_uri: rp2.redirect,
      code_verifier: verifier,
    });
    expect(reused.body.error).toBe("invalid_grant");
    const next = codeOf(
      await browser.follow(
        await browser.get(authorizeUrl(rp2, { code_challenge: challenge, code_challenge_method: "S256" })),
      ),
    );
    expect(
      (
        await token(rp2, {
          grant_type: "authorization_code",
          code: next,
          redirect_uri: "https://rp2.example/other",
          code_verifier: verifier,
        })
      ).body.error,
    ).toBe("invalid_grant");
    h.clock.advance(61_000);
  });

  it("a public client cannot use client credentials; a confidential one needs its secret", async () => {
    expect((await token(rp2, { grant_type: "client_credentials" })).status).toBe(401);
    expect((await token({ ...rp1, secret: "wrong" }, { grant_type: "client_credentials" })).status).toBe(401);
  });
});

describe("ending sessions", () => {
  async function rp1Session(browser: TestBrowser) {
    const back = await signedIn(browser, rp1, { scope: "openid profile offline_access" });
    return (
      await token(rp1, { grant_type: "authorization_code", code: codeOf(back), redirect_uri: rp1.redirect })
    ).body;
  }
  const statusOf = async (browser: TestBrowser) =>
    ((await (await browser.get("/jans-auth/restv1/session_status")).json()) as { state: string }).state;

  it("end_session with id_token_hint and a registered redirect: back to the RP, session and its tokens ended at once", async () => {
    const browser = new TestBrowser(h.app);
    const t = await rp1Session(browser);
    const q = new URLSearchParams({
      id_token_hint: t.id_token!,
      post_logout_redirect_uri: rp1.bye!,
      state: "bye-1",
    });
    const res = await browser.get(`/jans-auth/restv1/end_session?${q}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://rp1.example/bye?state=bye-1");
    expect(await statusOf(browser)).toBe("unknown");
    expect((await userinfo(t.access_token!)).status).toBe(401);
    expect(
      (await token(rp1, { grant_type: "refresh_token", refresh_token: t.refresh_token! })).body.error,
    ).toBe("invalid_grant");
  });

  it("end_session with an unregistered redirect refuses, with no redirect and the session kept", async () => {
    const browser = new TestBrowser(h.app);
    const t = await rp1Session(browser);
    const q = new URLSearchParams({
      id_token_hint: t.id_token!,
      post_logout_redirect_uri: "https://evil.example/",
    });
    const res = await browser.get(`/jans-auth/restv1/end_session?${q}`);
    expect([res.status, res.headers.get("location")]).toEqual([400, null]);
    expect(await statusOf(browser)).toBe("authenticated");
  });

  it("end_session with a hint and no redirect signs out and says so", async () => {
    const browser = new TestBrowser(h.app);
    const t = await rp1Session(browser);
    const res = await browser.get(
      `/jans-auth/restv1/end_session?${new URLSearchParams({ id_token_hint: t.id_token! })}`,
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("You are signed out.");
    expect(await statusOf(browser)).toBe("unknown");
  });

  it("end_session with someone else's id_token_hint ends nothing: this browser is asked about its own session", async () => {
    const victim = new TestBrowser(h.app);
    const t = await rp1Session(victim);
    const attacker = new TestBrowser(h.app);
    const q = new URLSearchParams({ id_token_hint: t.id_token!, post_logout_redirect_uri: rp1.bye! });
    const res = await attacker.get(`/jans-auth/restv1/end_session?${q}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Sign out of this browser");
    // The confirmation's form leads on to the RP's origin, so form-action must allow it (H4).
    expect(res.headers.get("content-security-policy")).toContain("form-action 'self' https://rp1.example;");
    expect(await statusOf(victim)).toBe("authenticated");
    expect((await userinfo(t.access_token!)).status).toBe(200);
  });

  async function admin(scopes: string[]) {
    const c = must(await h.deps.clients.create("ops", scopes));
    return `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString("base64")}`;
  }

  it("revoke_session ends every session of the user found, and their tokens, on the very next request", async () => {
    const browser = new TestBrowser(h.app);
    const t = await rp1Session(browser);
    await h.login("alice");
    const auth = await admin(["revoke_session"]);
    const post = (authorization: string, fields: Record<string, string>) =>
      h.app.request("/jans-auth/restv1/revoke_session", {
        method: "POST",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields),
      });
    expect(
      (await post(await admin(["openid"]), { user_criterion_key: "uid", user_criterion_value: "alice" }))
        .status,
    ).toBe(401);
    expect((await post(auth, { user_criterion_key: "uid", user_criterion_value: "nobody" })).status).toBe(
      200,
    );
    expect((await post(auth, { user_criterion_key: "uid", user_criterion_value: "alice" })).status).toBe(200);
    expect(await statusOf(browser)).toBe("unknown");
    expect((await h.api("/search?fieldValuePair=auth_user%3Dalice")).status).toBe(200);
    expect(
      (
        (await (await h.api("/search?fieldValuePair=auth_user%3Dalice")).json()) as {
          totalEntriesCount: number;
        }
      ).totalEntriesCount,
    ).toBe(0);
    expect((await userinfo(t.access_token!)).status).toBe(401);
    expect(
      (await token(rp1, { grant_type: "refresh_token", refresh_token: t.refresh_token! })).body.error,
    ).toBe("invalid_grant");
  });

  it("global-token-revocation ends every session and revokes every token of the subject", async () => {
    const dn = (await h.deps.users.getByName("alice"))!.dn;
    const browser = new TestBrowser(h.app);
    const t = await rp1Session(browser);
    const auth = await admin(["global_token_revocation"]);
    const post = (body: unknown) =>
      h.app.request("/jans-auth/restv1/global-token-revocation", {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post({ sub_id: { format: "phone", id: "x" } })).status).toBe(400);
    h.clock.advance(1000);
    expect((await post({ sub_id: { format: "inum", id: dn.slice(5, dn.indexOf(",")) } })).status).toBe(204);
    expect(await statusOf(browser)).toBe("unknown");
    expect((await userinfo(t.access_token!)).status).toBe(401);
    expect(
      (await token(rp1, { grant_type: "refresh_token", refresh_token: t.refresh_token! })).body.error,
    ).toBe("invalid_grant");
  });

  it("an offline_access refresh token outlives the session's idle limit, not its explicit end", async () => {
    const browser = new TestBrowser(h.app);
    const t = await rp1Session(browser);
    h.clock.advance(3_601_000);
    const refreshed = await token(rp1, { grant_type: "refresh_token", refresh_token: t.refresh_token! });
    expect(refreshed.status).toBe(200);
    const browser2 = new TestBrowser(h.app);
    const back = await signedIn(browser2, rp1);
    const online = (
      await token(rp1, { grant_type: "authorization_code", code: codeOf(back), redirect_uri: rp1.redirect })
    ).body;
    h.clock.advance(3_601_000);
    expect(
      (await token(rp1, { grant_type: "refresh_token", refresh_token: online.refresh_token! })).body.error,
    ).toBe("invalid_grant");
  });
});
