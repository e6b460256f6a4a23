import type { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import {
  type AuthorizationRequest,
  issueCode,
  needsSignIn,
  parseAuthorizationRequest,
  redirectWith,
} from "../../core/oauth/authorization.js";
import type { SessionRecord } from "../../store/types.js";
import { Alert, htmlPage } from "../html.js";
import { type FaceContext, type FaceEnv, face } from "../kit/env.js";
import { apiError, coreError } from "../kit/errors.js";
import { JANS_AUTH } from "../kit/mounts.js";
import { remoteAddress, transport } from "../request-info.js";
import { browserSession, clearSessionCookie, issueSessionCookie, sessionStatus } from "./browser.js";

// GET /restv1/authorize: with response_type, the OpenID Connect authorization code flow; without,
// the older API call that starts an unauthenticated session and answers its status in JSON.

/** The browser's session: its cookie, or (when sessionIdRequestParameterEnabled) a session_id parameter. */
async function sessionFor(c: FaceContext, core: ServerCore): Promise<SessionRecord | undefined> {
  const fromCookie = await browserSession(c, core);
  if (fromCookie || !core.config.sessionIdRequestParameterEnabled) return fromCookie;
  return core.sessions.byCookie(c.req.query("session_id"), transport(c));
}

/** The authorize URL to come back to after signing in; a forced re-login (prompt=login) becomes max_age=0. */
function continueUrl(c: FaceContext): string {
  const url = new URL(c.req.url);
  const prompts = (url.searchParams.get("prompt") ?? "").split(" ").filter(Boolean);
  if (prompts.includes("login")) {
    const rest = prompts.filter((p) => p !== "login");
    if (rest.length) url.searchParams.set("prompt", rest.join(" "));
    else url.searchParams.delete("prompt");
    url.searchParams.set("max_age", "0");
  }
  return `${url.pathname}${url.search}`;
}

/**
 * Sends the person to sign in, first starting an unauthenticated session that records the request
 * when the browser has none. A re-authentication (prompt=login, max_age) keeps the authenticated
 * session until the new sign-in replaces it (ending it and its tokens): never two at once.
 */
async function toSignIn(
  c: FaceContext,
  core: ServerCore,
  req: AuthorizationRequest,
  existing: SessionRecord | undefined,
) {
  if (!existing) {
    const attributes: Record<string, string> = {
      client_id: req.client.clientId,
      redirect_uri: req.redirectUri,
      scope: req.scopes.join(" "),
      response_type: "code",
      remote_ip: remoteAddress(c),
      user_agent: (c.req.header("user-agent") ?? "").slice(0, core.config.maxAttributeLength),
      ...(req.acrValues ? { acr_values: req.acrValues } : {}),
    };
    const created = await core.sessions.create("unauthenticated", null, attributes, transport(c), {
      type: "user",
      ip: remoteAddress(c),
    });
    if (!created.ok) return coreError(c, created.error);
    issueSessionCookie(c, core, created.value.cookie);
  }
  return c.redirect(`${JANS_AUTH}/login?continue=${encodeURIComponent(continueUrl(c))}`, 302);
}

async function codeFlow(c: FaceContext, core: ServerCore) {
  const params = new URL(c.req.url).searchParams;
  const repeated = [...new Set(params.keys())].filter((k) => params.getAll(k).length > 1);
  const parsed = await parseAuthorizationRequest(core, c.req.query(), repeated);
  if (!parsed.ok && !parsed.redirect)
    return htmlPage(c, "Sign-in request refused", Alert({ message: parsed.message }), 400);
  if (!parsed.ok)
    return c.redirect(
      redirectWith(parsed.to, {
        error: parsed.error,
        error_description: parsed.description,
        state: parsed.state,
      }),
      302,
    );
  const { req } = parsed;
  const session = await sessionFor(c, core);
  if (needsSignIn(req, session, core.clock.now())) {
    if (req.prompt.has("none"))
      return c.redirect(
        redirectWith(req.redirectUri, {
          error: "login_required",
          error_description: "no signed-in session",
          state: req.state,
        }),
        302,
      );
    return toSignIn(c, core, req, session);
  }
  // An authorization request that finds the session is a use of it (seed 001).
  const used = await core.sessions.touch(session!, { type: "user", ip: remoteAddress(c) });
  const code = await issueCode(core, req, used);
  if (code === undefined)
    return c.redirect(
      redirectWith(req.redirectUri, {
        error: "access_denied",
        error_description: "the user's roles allow none of the requested scopes",
        state: req.state,
      }),
      302,
    );
  if (core.config.invalidateSessionCookiesAfterAuthorizationFlow) clearSessionCookie(c);
  return c.redirect(redirectWith(req.redirectUri, { code, state: req.state }), 302);
}

/** The older API form: an unauthenticated session for a registered client, its status in JSON. */
async function startSession(c: FaceContext, core: ServerCore) {
  const clientId = c.req.query("client_id") ?? "";
  if (clientId === "") return apiError(c, 400, "client_id is required");
  if (clientId.length > core.config.maxAttributeLength || !(await core.clients.exists(clientId)))
    return apiError(c, 400, "unknown client_id");
  const acrValues = c.req.query("acr_values") ?? "";
  if (acrValues.length > core.config.maxAttributeLength) return apiError(c, 400, "acr_values is too long");
  const attributes: Record<string, string> = {
    client_id: clientId,
    remote_ip: remoteAddress(c),
    user_agent: (c.req.header("user-agent") ?? "").slice(0, core.config.maxAttributeLength),
    ...(acrValues ? { acr_values: acrValues } : {}),
  };
  const created = await core.sessions.create("unauthenticated", null, attributes, transport(c), {
    type: "user",
    ip: remoteAddress(c),
  });
  if (!created.ok) return coreError(c, created.error);
  issueSessionCookie(c, core, created.value.cookie);
  return c.json(sessionStatus(created.value.session));
}

export function authorizeRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  app.get("/restv1/authorize", (c) =>
    c.req.query("response_type") !== undefined ? codeFlow(c, core) : startSession(c, core),
  );
  return app;
}
