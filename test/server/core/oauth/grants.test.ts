import { afterEach, describe, expect, it } from "vitest";
import {
  clientCredentialsGrant,
  grantableScopes,
  personScopes,
  revokeToken,
  scopeTokens,
} from "../../../../src/server/core/oauth/grants.js";
import { SCOPE } from "../../../../src/server/core/oauth/scopes.js";
import type { ClientRecord } from "../../../../src/server/store/types.js";
import { type CoreUnderTest, coreOnSqlite } from "../../../helpers/core.js";
import { must } from "../../../helpers/must.js";

// Token grants without HTTP: which scopes a client and a person may be given, and a
// client-credentials grant end to end through the core and a real SQLite store.

let t: CoreUnderTest | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("scope rules", () => {
  it.each([
    [undefined, []],
    ["openid  profile", ["openid", "profile"]],
    ["openid+profile", ["openid", "profile"]],
    ["openid+not-a-scope", ["openid+not-a-scope"]],
  ])("scopeTokens(%j) is %j", (raw, tokens) => {
    expect(scopeTokens(raw)).toEqual(tokens);
  });

  const client = { scopes: [SCOPE.sessionRead, SCOPE.sessionDelete] } as ClientRecord;
  it.each([
    [undefined, [SCOPE.sessionRead, SCOPE.sessionDelete]],
    [SCOPE.sessionRead, [SCOPE.sessionRead]],
    [`${SCOPE.sessionRead} ${SCOPE.sessionRead} ${SCOPE.writeAll}`, [SCOPE.sessionRead]],
    [SCOPE.writeAll, []],
  ])("grantableScopes for %j is %j", (requested, granted) => {
    expect(grantableScopes(client, requested)).toEqual(granted);
  });

  it.each([
    [[], ["openid", "email"]],
    [["api-viewer"], ["openid", "email", SCOPE.sessionRead]],
    [["admin"], ["openid", "email", SCOPE.sessionRead, SCOPE.sessionDelete]],
  ])("a person with roles %j may have %j", (roles, allowed) => {
    expect(personScopes(["openid", "email", SCOPE.sessionRead, SCOPE.sessionDelete], roles)).toEqual(allowed);
  });
});

describe("clientCredentialsGrant", () => {
  async function client(scopes: string[], type?: "public") {
    t = t ?? (await coreOnSqlite());
    const made = must(await t.core.clients.create("svc", scopes, type ? { type } : {}));
    const record = await t.core.clients.get(made.client_id);
    if (!record) throw new Error("client not stored");
    return { core: t.core, record };
  }

  it("issues a token of the requested scopes the client has, which the token service accepts", async () => {
    const { core, record } = await client([SCOPE.sessionRead, SCOPE.sessionDelete]);
    const r = await clientCredentialsGrant(core, record, { scope: `${SCOPE.sessionRead} ${SCOPE.writeAll}` });
    if (!r.ok) throw new Error(r.description);
    expect(r.body).toMatchObject({ token_type: "Bearer", scope: SCOPE.sessionRead });
    const verified = await core.tokens.verify(String(r.body.access_token));
    expect(verified).toMatchObject({ ok: true, claims: { clientId: record.clientId } });
    expect(core.stats.tokenGrants).toBe(1);
  });

  it("refuses when none of the requested scopes is the client's, and a public client", async () => {
    const { core, record } = await client([SCOPE.sessionRead]);
    expect(await clientCredentialsGrant(core, record, { scope: SCOPE.writeAll })).toMatchObject({
      ok: false,
      error: "invalid_scope",
    });
    const pub = await client(["openid"], "public");
    expect(await clientCredentialsGrant(pub.core, pub.record, {})).toMatchObject({
      ok: false,
      error: "unauthorized_client",
    });
    expect(core.stats.tokenGrants).toBe(0);
  });

  it("a revoked access token is refused; another client cannot revoke it", async () => {
    const { core, record } = await client([SCOPE.sessionRead]);
    const r = await clientCredentialsGrant(core, record, {});
    if (!r.ok) throw new Error(r.description);
    const token = String(r.body.access_token);
    await revokeToken(core, token, "someone-else");
    expect((await core.tokens.verify(token)).ok).toBe(true);
    await revokeToken(core, token, record.clientId);
    expect(await core.tokens.verify(token)).toEqual({ ok: false, reason: "revoked" });
  });
});
