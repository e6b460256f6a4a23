import type { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import { authorizationCodeGrant } from "../../core/oauth/authorization.js";
import { deviceCodeGrant, startDeviceAuthorization } from "../../core/oauth/device.js";
import {
  clientCredentialsGrant,
  DEVICE_GRANT,
  type GrantResult,
  refreshTokenGrant,
  revokeToken,
} from "../../core/oauth/grants.js";
import { KNOWN_SCOPES } from "../../core/oauth/scopes.js";
import { signedUserinfo, userinfo } from "../../core/oauth/userinfo.js";
import type { ClientRecord } from "../../store/types.js";
import { bearerOf } from "../kit/bearer.js";
import { type FaceContext, type FaceEnv, face } from "../kit/env.js";
import { oauthError, oauthFailure } from "../kit/errors.js";
import { JANS_AUTH } from "../kit/mounts.js";
import { publicOrigin } from "../public-origin.js";
import { answerHeader } from "../request-info.js";
import { authenticatedForm, firstValues } from "./client-auth.js";

/** The OpenID discovery document, with URLs built on the configured issuer's origin (never Host). */
export function discovery(core: ServerCore, origin: string) {
  const base = `${origin}${JANS_AUTH}`;
  return {
    issuer: core.tokens.issuer,
    authorization_endpoint: `${base}/restv1/authorize`,
    token_endpoint: `${base}/restv1/token`,
    userinfo_endpoint: `${base}/restv1/userinfo`,
    end_session_endpoint: `${base}/restv1/end_session`,
    revocation_endpoint: `${base}/restv1/revoke`,
    session_revocation_endpoint: `${base}/restv1/revoke_session`,
    global_token_revocation_endpoint: `${base}/restv1/global-token-revocation`,
    device_authorization_endpoint: `${base}/restv1/device_authorization`,
    jwks_uri: `${base}/restv1/jwks`,
    grant_types_supported: ["authorization_code", "client_credentials", DEVICE_GRANT, "refresh_token"],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    code_challenge_methods_supported: ["S256"],
    prompt_values_supported: ["none", "login", "select_account"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    global_token_revocation_endpoint_auth_methods_supported: ["client_secret_basic"],
    scopes_supported: [...KNOWN_SCOPES],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "acr",
      "sid",
      "name",
      "preferred_username",
      "user_name",
      "email",
      "inum",
      "jansAdminUIRole",
    ],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["EdDSA"],
    userinfo_signing_alg_values_supported: ["EdDSA"],
    frontchannel_logout_supported: false,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
  };
}

type Grant = (
  core: ServerCore,
  client: ClientRecord,
  form: Record<string, string>,
  bearerSubject?: string,
) => Promise<GrantResult>;

/** Each grant, and whether a public client (no secret) may use it. */
const GRANTS: Record<string, { run: Grant; publicClients: boolean }> = {
  authorization_code: { run: authorizationCodeGrant, publicClients: true },
  client_credentials: { run: clientCredentialsGrant, publicClients: false },
  [DEVICE_GRANT]: { run: deviceCodeGrant, publicClients: true },
  refresh_token: { run: refreshTokenGrant, publicClients: true },
};

/** userinfo's token: the Authorization header, or (RFC 6750 2.2) an access_token form field. */
async function userinfoToken(c: FaceContext): Promise<string | undefined> {
  const header = bearerOf(c);
  if (header) return header;
  if (c.req.method !== "POST") return undefined;
  if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded"))
    return undefined;
  return firstValues(new URLSearchParams(await c.req.text())).access_token;
}

/** The token endpoint (RFC 6749), wherever a face mounts it. */
export function tokenEndpoint(core: ServerCore) {
  return async (c: FaceContext) => {
    const auth = await authenticatedForm(core, c);
    if (auth instanceof Response) return auth;
    const { form } = auth;
    const grant = Object.hasOwn(GRANTS, form.grant_type ?? "") ? GRANTS[form.grant_type!] : undefined;
    if (!grant)
      return oauthError(
        c,
        400,
        "unsupported_grant_type",
        `grant_type "${form.grant_type ?? ""}" is not supported`,
      );
    if (auth.method === "none" && !grant.publicClients)
      return oauthError(c, 401, "invalid_client", "a public client cannot use this grant");
    const result = await grant.run(core, auth.client, form, auth.bearerSubject);
    if (!result.ok) return oauthFailure(c, result);
    core.log.info("token issued", {
      client: auth.client.clientId,
      grant: form.grant_type,
      method: auth.method,
    });
    answerHeader(c, "Cache-Control", "no-store");
    answerHeader(c, "Pragma", "no-cache");
    return c.json(result.body);
  };
}

export function oauthRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();

  app.post("/restv1/token", tokenEndpoint(core));

  app.post("/restv1/device_authorization", async (c) => {
    const auth = await authenticatedForm(core, c);
    if (auth instanceof Response) return auth;
    const result = await startDeviceAuthorization(
      core,
      auth.client,
      auth.form,
      `${publicOrigin(core)}${JANS_AUTH}/device`,
    );
    if (!result.ok) return oauthFailure(c, result);
    answerHeader(c, "Cache-Control", "no-store");
    return c.json(result.body);
  });

  app.post("/restv1/revoke", async (c) => {
    const auth = await authenticatedForm(core, c);
    if (auth instanceof Response) return auth;
    if (!auth.form.token) return oauthError(c, 400, "invalid_request", "token is required");
    await revokeToken(core, auth.form.token, auth.client.clientId);
    return c.body(null, 200);
  });

  const info = async (c: FaceContext) => {
    const token = await userinfoToken(c);
    if (!token) {
      c.header("WWW-Authenticate", 'Bearer realm="jans-auth"');
      return oauthError(c, 401, "invalid_token", "a bearer access token is required");
    }
    const r = await userinfo(core, token);
    if (!r.ok) {
      c.header("WWW-Authenticate", `Bearer realm="jans-auth", error="${r.error}"`);
      return oauthFailure(c, r);
    }
    answerHeader(c, "Cache-Control", "no-store");
    if (r.client?.userinfoJwt) {
      const jwt = await signedUserinfo(core, r);
      return c.body(jwt, 200, { "Content-Type": "application/jwt" });
    }
    return c.json(r.claims);
  };
  app.get("/restv1/userinfo", info);
  app.post("/restv1/userinfo", info);

  app.get("/restv1/jwks", async (c) => c.json({ keys: await core.tokens.jwks() }));
  app.get("/.well-known/openid-configuration", (c) => c.json(discovery(core, publicOrigin(core))));

  return app;
}
