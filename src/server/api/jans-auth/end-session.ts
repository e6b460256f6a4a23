import type { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import { redirectWith } from "../../core/oauth/authorization.js";
import type { ClientRecord, SessionRecord } from "../../store/types.js";
import { crossSite, csrfToken, csrfValid } from "../csrf.js";
import { Alert, htmlPage } from "../html.js";
import { type FaceContext, type FaceEnv, face } from "../kit/env.js";
import { apiError } from "../kit/errors.js";
import { allowFormTargets } from "../middleware/security-headers.js";
import { remoteAddress } from "../request-info.js";
import { browserSession, clearSessionCookie, fieldsOf } from "./browser.js";
import { signOutForm, text } from "./pages.js";

// RP-Initiated Logout 1.0 at /restv1/end_session: with a valid id_token_hint naming this browser's
// session, it ends at once (and the tokens bound to it); otherwise GET only asks, and the POST
// ends the browser's own session (never another's). post_logout_redirect_uri must be registered
// for the client, else no redirect.

interface LogoutRequest {
  client?: ClientRecord;
  /** The session the id_token_hint names. */
  hintSid?: string;
  redirect?: string;
  state?: string;
}

type Parsed = { ok: true; req: LogoutRequest } | { ok: false; message: string };

async function parse(core: ServerCore, p: Record<string, string | undefined>): Promise<Parsed> {
  const hint = p.id_token_hint
    ? await core.tokens.verifyOwn(p.id_token_hint, undefined, { typ: "JWT", allowExpired: true })
    : undefined;
  if (p.id_token_hint && !hint)
    return { ok: false, message: "id_token_hint is not an ID token of this server" };
  const aud = hint ? (Array.isArray(hint.aud) ? hint.aud[0] : hint.aud) : undefined;
  const clientId = aud ?? p.client_id;
  if (aud && p.client_id && p.client_id !== aud)
    return { ok: false, message: "client_id does not match the id_token_hint" };
  const client = clientId ? await core.clients.get(clientId) : undefined;
  if (p.post_logout_redirect_uri && !client?.postLogoutRedirectUris.includes(p.post_logout_redirect_uri))
    return { ok: false, message: "post_logout_redirect_uri is not registered for the client" };
  return {
    ok: true,
    req: {
      ...(client ? { client } : {}),
      ...(typeof hint?.sid === "string" ? { hintSid: hint.sid } : {}),
      ...(p.post_logout_redirect_uri ? { redirect: p.post_logout_redirect_uri } : {}),
      ...(p.state ? { state: p.state } : {}),
    },
  };
}

function done(c: FaceContext, req: LogoutRequest) {
  if (req.redirect) return c.redirect(redirectWith(req.redirect, { state: req.state }), 302);
  return htmlPage(c, "Signed out", text("You are signed out."));
}

/** Ends a session the person asked to end; the browser's cookie goes if it was that session. */
async function endIt(
  c: FaceContext,
  core: ServerCore,
  target: SessionRecord | undefined,
  browser: SessionRecord | undefined,
) {
  if (!target) return false;
  const ended = await core.sessions.end(target, {
    type: "user",
    id: target.attributes.auth_user ?? null,
    ip: remoteAddress(c),
  });
  if (browser?.sid === target.sid) clearSessionCookie(c);
  return ended;
}

function confirmPage(c: FaceContext, req: LogoutRequest) {
  const form = signOutForm(csrfToken(c), {
    post_logout_redirect_uri: req.redirect,
    state: req.state,
    client_id: req.client?.clientId,
  });
  allowFormTargets(c, [req.redirect]);
  return htmlPage(c, "Sign out", [text("Sign out of this browser's session?"), form]);
}

export function endSessionRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();

  app.get("/restv1/end_session", async (c) => {
    const parsed = await parse(core, c.req.query());
    if (!parsed.ok) return htmlPage(c, "Sign-out request refused", Alert({ message: parsed.message }), 400);
    const { req } = parsed;
    const browser = await browserSession(c, core);
    // A hint for another browser's session (a link someone was sent) only asks about this one.
    if (!req.hintSid || browser?.sid !== req.hintSid) return confirmPage(c, req);
    await endIt(c, core, browser, browser);
    return done(c, req);
  });

  app.post("/restv1/end_session", async (c) => {
    if (crossSite(c)) return apiError(c, 403, "cross-site sign-out refused");
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    let req: LogoutRequest = {};
    if (type.startsWith("application/x-www-form-urlencoded")) {
      const parsed = await fieldsOf(c);
      if (typeof parsed === "string" || !csrfValid(c, parsed.fields))
        return apiError(c, 403, "the sign-out form needs its CSRF token");
      const p = await parse(core, parsed.fields);
      if (!p.ok) return htmlPage(c, "Sign-out request refused", Alert({ message: p.message }), 400);
      req = p.req;
    }
    const browser = await browserSession(c, core);
    const ended = await endIt(c, core, browser, browser);
    clearSessionCookie(c);
    if (req.redirect || type.startsWith("application/x-www-form-urlencoded")) return done(c, req);
    return ended ? c.body(null, 204) : apiError(c, 404, "no live session for this browser");
  });

  return app;
}
