import { decodeJwt } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KNOWN_SCOPES, SCOPE } from "../../src/server/core/oauth/scopes.js";
import { pkce, TestBrowser } from "../helpers/browser.js";
import { must } from "../helpers/must.js";
import { addUser, type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

// A token issued for a person carries no more than that person's roles allow, and every ending
// ends it (issue 21: C1, H1, H2, H3, refresh and code replay).

interface Rp {
  id: string;
  secret?: string;
  redirect: string;
}

let h: Harness;
beforeEach(async () => {
  h = await harness();
  await addUser(h, "root", ["api-admin"]);
  await addUser(h, "alice");
});
afterEach(async () => h.close());

async function rp(
  scopes: readonly string[],
  opts: { type?: "public"; userinfoJwt?: boolean } = {},
): Promise<Rp> {
  const redirect = `https://rp${Math.random().toString(36).slice(2)}.example/cb`;
  const c = must(await h.deps.clients.create("rp", [...scopes], { redirectUris: [redirect], ...opts }));
  return { id: c.client_id, redirect, ...(c.client_secret ? { secret: c.client_secret } : {}) };
}

function post(path: string, client: Rp, fields: Record<string, string>, bearer?: string) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  else if (client.secret)
    headers.authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`;
  const body = new URLSearchParams({
    ...fields,
    ...(client.secret || bearer ? {} : { client_id: client.id }),
  });
  return h.app.request(path, { method: "POST", headers, body });
}

async function tokenOf(client: Rp, fields: Record<string, string>, bearer?: string) {
  const res = await post("/jans-auth/restv1/token", client, fields, bearer);
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** The code flow as a browser runs it: sign in as `username`, back at the RP with a code (or an error). */
async function codeFlow(client: Rp, username: string, scope: string) {
  const { verifier, challenge } = pkce();
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.id,
    redirect_uri: client.redirect,
    scope,
    state: "s",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const browser = new TestBrowser(h.app);
  const login = await browser.follow(await browser.get(`/jans-auth/restv1/authorize?${q}`));
  const back = login instanceof URL ? login : await browser.signIn(login, username, PASSWORD);
  if (!(back instanceof URL)) throw new Error(`no redirect to the RP (${back.status})`);
  const code = back.searchParams.get("code");
  if (!code)
    return {
      error: back.searchParams.get("error"),
      status: 0,
      body: {} as Record<string, string>,
      code: "",
      verifier: "",
    };
  const t = await tokenOf(client, {
    grant_type: "authorization_code",
    code,
    redirect_uri: client.redirect,
    code_verifier: verifier,
  });
  return { code, verifier, ...t };
}

const userinfo = (token: string) =>
  h.app.request("/jans-auth/restv1/userinfo", { headers: { authorization: `Bearer ${token}` } });
const sessionsApi = (token: string) => h.api("", { token });

describe("C1: the ujwt grant gives a person's client no more than the client and the person may have", () => {
  it("a client registered for openid only gets no admin scope from an admin's userinfo JWT", async () => {
    const narrow = await rp(["openid"], { userinfoJwt: true });
    const t = await codeFlow(narrow, "root", "openid");
    expect(t.status).toBe(200);
    const ujwt = await (await userinfo(t.body.access_token!)).text();
    const cc = await tokenOf(narrow, { grant_type: "client_credentials", ujwt });
    expect(cc.body.error).toBe("invalid_scope");
    const viaBearer = await tokenOf(narrow, { grant_type: "client_credentials", ujwt }, t.body.access_token);
    expect(viaBearer.body.error).toBe("invalid_scope");
  });

  it("a ujwt stops working once its sign-in ended: session deleted, Logout All Devices, password changed", async () => {
    const cli = await rp(KNOWN_SCOPES, { userinfoJwt: true });
    const endings: ((sid: string) => Promise<unknown>)[] = [
      (sid) => h.api(`/sid/${sid}`, { method: "DELETE" }),
      async () =>
        h.deps.users.endEverything((await h.deps.users.findBy("uid", "root"))!.dn, {
          type: "admin",
          id: "t",
        }),
      async () =>
        h.deps.users.setPassword((await h.deps.users.findBy("uid", "root"))!.dn, "another-long-password", {
          type: "admin",
          id: "t",
        }),
    ];
    for (const [i, end] of endings.entries()) {
      const t = await codeFlow(cli, "root", "openid");
      expect(t.status).toBe(200);
      const ujwt = await (await userinfo(t.body.access_token!)).text();
      const before = await tokenOf(cli, { grant_type: "client_credentials", ujwt });
      expect(before.status).toBe(200);
      expect(before.body.scope!.split(" ")).toContain(SCOPE.sessionAdmin);
      h.clock.advance(1000);
      await end(String(decodeJwt(ujwt).sid));
      h.clock.advance(1000);
      const after = await tokenOf(cli, { grant_type: "client_credentials", ujwt });
      expect([i, after.body.error]).toEqual([i, "invalid_grant"]);
      expect((await sessionsApi(before.body.access_token!)).status).toBe(401);
    }
  });

  it("a public client's Bearer path gives the client's scopes the person's roles allow, and the person only", async () => {
    const pub = await rp(["openid", SCOPE.readAll, SCOPE.writeAll], { type: "public", userinfoJwt: true });
    await addUser(h, "viewer", ["api-viewer"]);
    const t = await codeFlow(pub, "viewer", "openid");
    const ujwt = await (await userinfo(t.body.access_token!)).text();
    const cc = await tokenOf(pub, { grant_type: "client_credentials", ujwt }, t.body.access_token);
    expect(cc.status).toBe(200);
    expect(cc.body.scope!.split(" ").sort()).toEqual([SCOPE.readAll]);
    // Someone else's token cannot carry this person's ujwt.
    const other = await codeFlow(pub, "root", "openid");
    const mixed = await tokenOf(pub, { grant_type: "client_credentials", ujwt }, other.body.access_token);
    expect(mixed.body.error).toBe("invalid_grant");
    // And without a ujwt a public client gets no client-credentials token at all.
    const bare = await tokenOf(pub, { grant_type: "client_credentials" });
    expect(bare.status).toBe(401);
  });
});

describe("H1: the code and device flows apply the person's roles", () => {
  it("a person without a role gets no admin scope from a client registered with write-all", async () => {
    const writer = await rp(["openid", SCOPE.writeAll]);
    const t = await codeFlow(writer, "alice", `openid ${SCOPE.writeAll}`);
    expect(t.status).toBe(200);
    expect(t.body.scope).toBe("openid");
    expect((await sessionsApi(t.body.access_token!)).status).toBe(403);
    const only = await codeFlow(writer, "alice", SCOPE.writeAll);
    expect(only.error).toBe("access_denied");
    // An admin through the same client gets it.
    const admin = await codeFlow(writer, "root", `openid ${SCOPE.writeAll}`);
    expect(admin.body.scope!.split(" ")).toContain(SCOPE.writeAll);
  });

  async function deviceApproved(client: Rp, username: string, scope: string) {
    const d = (await (
      await post("/jans-auth/restv1/device_authorization", client, { scope })
    ).json()) as Record<string, string>;
    const page = `/jans-auth/device?user_code=${d.user_code}`;
    const fields = { user_code: d.user_code!, username, password: PASSWORD, action: "approve" };
    expect((await h.submit(page, "/jans-auth/device", fields)).status).toBe(200);
    h.clock.advance(10_000);
    return () =>
      tokenOf(client, {
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
        device_code: d.device_code!,
      });
  }

  it("a device flow on a public client with read-all gives a roleless person nothing", async () => {
    const pub = await rp([SCOPE.readAll, "openid"], { type: "public" });
    const poll = await deviceApproved(pub, "alice", SCOPE.readAll);
    expect((await poll()).body.error).toBe("invalid_scope");
    const admin = await deviceApproved(pub, "root", SCOPE.readAll);
    expect((await admin()).body.scope).toBe(SCOPE.readAll);
  });

  it("H3: a device approval made before the user was disabled gives nothing, even once re-enabled", async () => {
    const pub = await rp([SCOPE.readAll], { type: "public" });
    const poll = await deviceApproved(pub, "root", SCOPE.readAll);
    const dn = (await h.deps.users.findBy("uid", "root"))!.dn;
    await h.deps.users.setDisabled(dn, true, { type: "admin", id: "t" });
    expect((await poll()).body.error).toBe("access_denied");
    await h.deps.users.setDisabled(dn, false, { type: "admin", id: "t" });
    expect((await poll()).status).toBe(400);
  });

  it("a disabled person's refresh fails", async () => {
    const cli = await rp(["openid", "offline_access", SCOPE.readAll]);
    await addUser(h, "ops", ["api-viewer"]);
    const t = await codeFlow(cli, "ops", `openid offline_access ${SCOPE.readAll}`);
    expect(t.body.scope!.split(" ")).toContain(SCOPE.readAll);
    const dn = (await h.deps.users.findBy("uid", "ops"))!.dn;
    await h.deps.users.setDisabled(dn, true, { type: "admin", id: "t" });
    const r = await tokenOf(cli, { grant_type: "refresh_token", refresh_token: t.body.refresh_token! });
    expect(r.body.error).toBe("invalid_grant");
  });
});

describe("H2 and replays: revocation and reuse end the whole grant", () => {
  it("RFC 7009: a revoked refresh token no longer refreshes, and its access token is refused", async () => {
    const cli = await rp(["openid", "offline_access"]);
    const t = await codeFlow(cli, "alice", "openid offline_access");
    const revoke = await post("/jans-auth/restv1/revoke", cli, { token: t.body.refresh_token! });
    expect(revoke.status).toBe(200);
    const r = await tokenOf(cli, { grant_type: "refresh_token", refresh_token: t.body.refresh_token! });
    expect(r.body.error).toBe("invalid_grant");
    expect((await userinfo(t.body.access_token!)).status).toBe(401);
  });

  it("a replayed rotated refresh token revokes the family (RFC 9700 4.14.2)", async () => {
    const pub = await rp(["openid", "offline_access"], { type: "public" });
    const t = await codeFlow(pub, "alice", "openid offline_access");
    const r1 = await tokenOf(pub, { grant_type: "refresh_token", refresh_token: t.body.refresh_token! });
    expect(r1.status).toBe(200);
    expect((await userinfo(r1.body.access_token!)).status).toBe(200);
    const replay = await tokenOf(pub, { grant_type: "refresh_token", refresh_token: t.body.refresh_token! });
    expect(replay.body.error).toBe("invalid_grant");
    const r2 = await tokenOf(pub, { grant_type: "refresh_token", refresh_token: r1.body.refresh_token! });
    expect(r2.body.error).toBe("invalid_grant");
    expect((await userinfo(r1.body.access_token!)).status).toBe(401);
  });

  it("a replayed code revokes what its first redemption issued (RFC 6749 4.1.2)", async () => {
    const cli = await rp(["openid", "offline_access"]);
    const t = await codeFlow(cli, "alice", "openid offline_access");
    expect((await userinfo(t.body.access_token!)).status).toBe(200);
    const again = await tokenOf(cli, {
      grant_type: "authorization_code",
      code: t.code!,
      redirect_uri: cli.redirect,
      code_verifier: t.verifier!,
    });
    expect(again.body.error).toBe("invalid_grant");
    expect((await userinfo(t.body.access_token!)).status).toBe(401);
    const r = await tokenOf(cli, { grant_type: "refresh_token", refresh_token: t.body.refresh_token! });
    expect(r.body.error).toBe("invalid_grant");
  });
});
