import { type Context, Hono } from "hono";
import type { ServerDeps } from "../deps.js";
import {
  clientCredentialsGrant,
  DEVICE_GRANT,
  deviceCodeGrant,
  refreshTokenGrant,
  startDeviceAuthorization,
} from "../oauth/grants.js";
import { ALL_SCOPES } from "../oauth/scopes.js";
import type { ClientRecord } from "../store/types.js";
import { authenticateClient } from "./client-auth.js";
import { oauthError } from "./errors.js";

async function formBody(req: Request): Promise<Record<string, string> | null> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return null;
  return Object.fromEntries(new URLSearchParams(await req.text()));
}

/** The OpenID discovery document, with URLs built from the address the caller used. */
export function discovery(deps: ServerDeps, origin: string) {
  const base = `${origin}/jans-auth`;
  return {
    issuer: deps.tokens.issuer,
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

type Authenticated = { form: Record<string, string>; client: ClientRecord; method: string };

/**
 * The prologue of every client-authenticated OAuth endpoint: a form body and client_secret_basic
 * or _post; returns the error response instead when either is wrong.
 */
async function authenticated(deps: ServerDeps, c: Context): Promise<Authenticated | Response> {
  const form = await formBody(c.req.raw);
  if (!form) return oauthError(c, 400, "invalid_request", "body must be application/x-www-form-urlencoded");
  const auth = authenticateClient(deps, c.req.header("authorization"), form);
  if (auth.ok) return { form, client: auth.client, method: auth.method };
  if (auth.error === "invalid_client") c.header("WWW-Authenticate", 'Basic realm="jans-auth"');
  return oauthError(c, auth.error === "invalid_client" ? 401 : 400, auth.error, auth.description);
}

export function oauthRoutes(deps: ServerDeps): Hono {
  const app = new Hono();

  app.post("/restv1/token", async (c) => {
    const auth = await authenticated(deps, c);
    if (auth instanceof Response) return auth;
    const { form } = auth;
    const grant = GRANTS[form.grant_type ?? ""];
    if (!grant) {
      return oauthError(
        c,
        400,
        "unsupported_grant_type",
        `grant_type "${form.grant_type ?? ""}" is not supported`,
      );
    }
    const result = await grant(deps, auth.client, form);
    if (!result.ok) return oauthError(c, result.status, result.error, result.description);
    deps.log.info("token issued", {
      client: auth.client.clientId,
      grant: form.grant_type,
      method: auth.method,
    });
    c.header("Cache-Control", "no-store");
    c.header("Pragma", "no-cache");
    return c.json(result.body);
  });

  app.post("/restv1/device_authorization", async (c) => {
    const auth = await authenticated(deps, c);
    if (auth instanceof Response) return auth;
    const result = startDeviceAuthorization(deps, auth.client, auth.form, new URL(c.req.url).origin);
    if (!result.ok) return oauthError(c, result.status, result.error, result.description);
    c.header("Cache-Control", "no-store");
    return c.json(result.body);
  });

  app.post("/restv1/revoke", async (c) => {
    const auth = await authenticated(deps, c);
    if (auth instanceof Response) return auth;
    if (!auth.form.token) return oauthError(c, 400, "invalid_request", "token is required");
    await deps.tokens.revoke(auth.form.token, auth.client.clientId);
    return c.body(null, 200);
  });

  app.get("/restv1/jwks", (c) => c.json({ keys: [deps.tokens.publicJwk] }));
  app.get("/.well-known/openid-configuration", (c) => c.json(discovery(deps, new URL(c.req.url).origin)));

  return app;
}
