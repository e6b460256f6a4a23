import { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import {
  clientCredentialsGrant,
  DEVICE_GRANT,
  deviceCodeGrant,
  refreshTokenGrant,
  startDeviceAuthorization,
} from "../../core/oauth/grants.js";
import { ALL_SCOPES } from "../../core/oauth/scopes.js";
import { oauthError } from "../errors.js";
import { authenticatedForm } from "./client-auth.js";

/** The OpenID discovery document, with URLs built from the address the caller used. */
export function discovery(core: ServerCore, origin: string) {
  const base = `${origin}/jans-auth`;
  return {
    issuer: core.tokens.issuer,
    token_endpoint: `${base}/restv1/token`,
    revocation_endpoint: `${base}/restv1/revoke`,
    device_authorization_endpoint: `${base}/restv1/device_authorization`,
    jwks_uri: `${base}/restv1/jwks`,
    grant_types_supported: ["client_credentials", DEVICE_GRANT, "refresh_token"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    scopes_supported: [...ALL_SCOPES],
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["EdDSA"],
  };
}

const GRANTS: Record<string, typeof clientCredentialsGrant> = {
  client_credentials: clientCredentialsGrant,
  [DEVICE_GRANT]: deviceCodeGrant,
  refresh_token: refreshTokenGrant,
};

export function oauthRoutes(core: ServerCore): Hono {
  const app = new Hono();

  app.post("/restv1/token", async (c) => {
    const auth = await authenticatedForm(core, c);
    if (auth instanceof Response) return auth;
    const { form } = auth;
    const grant = Object.hasOwn(GRANTS, form.grant_type ?? "") ? GRANTS[form.grant_type!] : undefined;
    if (!grant) {
      return oauthError(
        c,
        400,
        "unsupported_grant_type",
        `grant_type "${form.grant_type ?? ""}" is not supported`,
      );
    }
    const result = await grant(core, auth.client, form);
    if (!result.ok) return oauthError(c, result.status, result.error, result.description);
    core.log.info("token issued", {
      client: auth.client.clientId,
      grant: form.grant_type,
      method: auth.method,
    });
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
    return c.json(result.body);
  });

  app.post("/restv1/device_authorization", async (c) => {
    const auth = await authenticatedForm(core, c);
    if (auth instanceof Response) return auth;
    const result = await startDeviceAuthorization(core, auth.client, auth.form, new URL(c.req.url).origin);
    if (!result.ok) return oauthError(c, result.status, result.error, result.description);
    c.header("Cache-Control", "no-store");
    return c.json(result.body);
  });

  app.post("/restv1/revoke", async (c) => {
    const auth = await authenticatedForm(core, c);
    if (auth instanceof Response) return auth;
    if (!auth.form.token) return oauthError(c, 400, "invalid_request", "token is required");
    await core.tokens.revoke(auth.form.token, auth.client.clientId);
    return c.body(null, 200);
  });

  app.get("/restv1/jwks", (c) => c.json({ keys: [core.tokens.publicJwk] }));
  app.get("/.well-known/openid-configuration", (c) => c.json(discovery(core, new URL(c.req.url).origin)));

  return app;
}
