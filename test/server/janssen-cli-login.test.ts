import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCOPE } from "../../src/server/core/oauth/scopes.js";
import { type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

// Janssen's own CLI (jans-cli-tui/cli_tui/cli/config_cli.py) signs in with exactly these requests;
// each step is replayed as that code sends it, and our answer checked.

let h: Harness;
let basic: string;
beforeAll(async () => {
  h = await harness();
  // Janssen's current setup gives its admin the role "admin" (api-admin before November 2025).
  await h.deps.users.create("admin", PASSWORD, { roles: ["admin"] });
  await h.deps.users.create("old-admin", PASSWORD, { roles: ["api-admin"] });
  await h.deps.users.create("viewer", PASSWORD);
  // The CLI's client: every scope, userinfo as a signed JWT (what our provisioned admin client is).
  basic = `Basic ${Buffer.from(`${h.admin.client_id}:${h.admin.client_secret}`).toString("base64")}`;
});
afterAll(async () => h.close());

const form = (path: string, headers: Record<string, string>, pairs: [string, string][]) =>
  h.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "Jans-Client": "jans-tui", ...headers },
    // requests encodes a tuple list in order, repeats included, "+" as %2B.
    body: new URLSearchParams(pairs).toString(),
  });

async function signIn(username: string) {
  // check_connection: a client-credentials grant with no scope, then discovery.
  const check = await form("/jans-auth/restv1/token", { authorization: basic }, [
    ["grant_type", "client_credentials"],
  ]);
  expect(check.status).toBe(200);
  expect((await h.app.request("/.well-known/openid-configuration")).status).toBe(200);
  // STEP 1: device authorization for its "+"-joined OpenID scopes, client_id in the form beside Basic.
  const d = await form("/jans-auth/restv1/device_authorization", { authorization: basic }, [
    ["client_id", h.admin.client_id],
    ["scope", "openid+profile+email+offline_access"],
  ]);
  expect(d.status).toBe(200);
  const device = (await d.json()) as Record<string, string>;
  expect(device.verification_uri_complete).toContain(device.user_code);
  // The person approves in a browser (the CLI waits for Enter).
  const page = `/jans-auth/device?user_code=${device.user_code}`;
  const approved = await h.submit(page, "/jans-auth/device", {
    user_code: device.user_code!,
    username,
    password: PASSWORD,
    action: "approve",
  });
  expect(approved.status).toBe(200);
  // STEP 2: the token request with grant_type twice (device_code first, then refresh_token).
  const t = await form("/jans-auth/restv1/token", { authorization: basic }, [
    ["client_id", h.admin.client_id],
    ["scope", "openid+profile+email+offline_access"],
    ["grant_type", "urn:ietf:params:oauth:grant-type:device_code"],
    ["grant_type", "refresh_token"],
    ["device_code", device.device_code!],
  ]);
  expect(t.status).toBe(200);
  const tokens = (await t.json()) as Record<string, string>;
  expect(tokens.scope!.split(" ").sort()).toEqual(["email", "offline_access", "openid", "profile"]);
  // STEP 3: userinfo by POST, the token both in the header and the form; the answer is read as a JWT.
  const info = await form("/jans-auth/restv1/userinfo", { authorization: `Bearer ${tokens.access_token}` }, [
    ["access_token", tokens.access_token!],
  ]);
  expect(info.status).toBe(200);
  expect(info.headers.get("content-type")).toBe("application/jwt");
  const ujwt = await info.text();
  return { tokens, ujwt };
}

describe("Janssen's CLI signs in against our server", () => {
  it("device sign-in, signed userinfo with jansAdminUIRole, then a ujwt client-credentials grant for config-api", async () => {
    const { tokens, ujwt } = await signIn("admin");
    const claims = decodeJwt(ujwt);
    // config_cli.py refuses the login unless 'admin' in jansAdminUIRole; older clients look for api-admin.
    expect(claims.jansAdminUIRole).toEqual(["admin", "api-admin"]);
    expect(typeof claims.inum).toBe("string");
    expect(claims.exp! * 1000).toBeGreaterThan(h.clock.now());
    // STEP 4: client credentials with scope openid and ujwt, authenticated by the Bearer header only.
    const cc = await form("/jans-auth/restv1/token", { authorization: `Bearer ${tokens.access_token}` }, [
      ["grant_type", "client_credentials"],
      ["scope", "openid"],
      ["ujwt", ujwt],
    ]);
    expect(cc.status).toBe(200);
    const admin = (await cc.json()) as { access_token: string; scope: string };
    expect(admin.scope.split(" ")).toContain(SCOPE.sessionAdmin);
    // check_connection on the next run: GET /jans-config-api/api/v1/acrs with the stored token.
    const acrs = await h.app.request("/jans-config-api/api/v1/acrs", {
      headers: { authorization: `Bearer ${admin.access_token}` },
    });
    expect([acrs.status, await acrs.json()]).toEqual([200, { defaultAcr: "simple_password_auth" }]);
    // And the session operations work with it; what it does is recorded as the admin user's.
    const { sid } = (await (await h.login("viewer")).json()) as { sid: string };
    expect((await h.api(`/sid/${sid}`, { method: "DELETE", token: admin.access_token })).status).toBe(204);
    const [revoked] = (await h.deps.events.list({ types: ["revoked"], limit: 1, offset: 0 })).entries;
    expect(revoked).toMatchObject({ actorType: "admin", actor: "admin" });
  });

  it("a user stored with the old name api-admin passes the current check too, with the same scopes", async () => {
    const { tokens, ujwt } = await signIn("old-admin");
    expect(decodeJwt(ujwt).jansAdminUIRole).toEqual(["admin", "api-admin"]);
    const cc = await form("/jans-auth/restv1/token", { authorization: `Bearer ${tokens.access_token}` }, [
      ["grant_type", "client_credentials"],
      ["scope", "openid"],
      ["ujwt", ujwt],
    ]);
    expect(((await cc.json()) as { scope: string }).scope.split(" ")).toContain(SCOPE.sessionAdmin);
  });

  it("a user without an admin role gets no config-api token; a forged or foreign ujwt is refused", async () => {
    const { tokens, ujwt } = await signIn("viewer");
    expect(decodeJwt(ujwt).jansAdminUIRole).toEqual([]);
    const grant = (jwt: string) =>
      form("/jans-auth/restv1/token", { authorization: `Bearer ${tokens.access_token}` }, [
        ["grant_type", "client_credentials"],
        ["scope", "openid"],
        ["ujwt", jwt],
      ]);
    expect(((await (await grant(ujwt)).json()) as { error: string }).error).toBe("invalid_scope");
    expect(((await (await grant(`${ujwt}x`)).json()) as { error: string }).error).toBe("invalid_grant");
    expect(((await (await grant(tokens.access_token!)).json()) as { error: string }).error).toBe(
      "invalid_grant",
    );
  });
});
