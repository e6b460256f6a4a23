import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCOPE } from "../../src/server/core/oauth/scopes.js";
import { janssenForm, janssenSignIn } from "../helpers/janssen-cli.js";
import { must } from "../helpers/must.js";
import { type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

// Janssen's own CLI (jans-cli-tui/cli_tui/cli/config_cli.py) signs in with exactly these requests
// (test/helpers/janssen-cli.ts); each step is replayed as that code sends it, and our answer checked.

let h: Harness;
beforeAll(async () => {
  h = await harness();
  // Janssen's current setup gives its admin the role "admin" (api-admin before November 2025).
  must(await h.deps.users.create("admin", PASSWORD, { roles: ["admin"] }));
  must(await h.deps.users.create("old-admin", PASSWORD, { roles: ["api-admin"] }));
  must(await h.deps.users.create("viewer", PASSWORD));
});
afterAll(async () => h.close());

const signIn = (username: string) => janssenSignIn(h, username);
const form = (path: string, headers: Record<string, string>, pairs: [string, string][]) =>
  janssenForm(h, path, headers, pairs);

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
