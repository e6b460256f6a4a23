import type { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import type { CoreError } from "../../core/errors.js";
import type { LoginRefusal } from "../../core/users.js";
import type { SessionRecord } from "../../store/types.js";
import { crossSite, csrfToken, csrfValid } from "../csrf.js";
import { htmlPage } from "../html.js";
import { type FaceContext, type FaceEnv, face } from "../kit/env.js";
import { apiError, coreError, refusalStatus } from "../kit/errors.js";
import { JANS_AUTH, RESTV1 } from "../kit/mounts.js";
import { allowFormTargets } from "../middleware/security-headers.js";
import { answerHeader, remoteAddress, transport } from "../request-info.js";
import { browserSession, fieldsOf, issueSessionCookie, PASSWORD_ACR, sessionStatus } from "./browser.js";
import { loginForm, text } from "./pages.js";

/** Only our own authorize endpoint is a place to continue to after signing in (no open redirect). */
function safeContinue(raw: string | undefined): string | undefined {
  if (raw === PROTECTED_APP) return raw;
  return raw?.startsWith(`${RESTV1}/authorize?`) && !raw.includes("//", 1) ? raw : undefined;
}

/** The relying party a sign-in continues to: the authorize request's redirect URI, when registered. */
async function relyingPartyOf(core: ServerCore, next: string | undefined): Promise<string | undefined> {
  if (!next?.startsWith(`${RESTV1}/authorize?`)) return undefined;
  const q = new URL(next, "http://local").searchParams;
  const client = await core.clients.get(q.get("client_id") ?? "");
  const uri = q.get("redirect_uri") ?? "";
  return client?.redirectUris.includes(uri) ? uri : undefined;
}

/** A page an end user signs in to (seed 003's promise: after Terminate, its next request is a 401 and the login page). */
export const PROTECTED_APP = `${JANS_AUTH}/app`;

export type SignIn =
  | { kind: "failed"; error: LoginRefusal }
  | { kind: "refused"; error: CoreError }
  | { kind: "ok"; session: SessionRecord };

/** Signs a user in with the lockout rules; a new session replaces the browser's old one. */
export async function signIn(
  c: FaceContext,
  core: ServerCore,
  username: string,
  password: string,
): Promise<SignIn> {
  const ip = remoteAddress(c);
  const previous = await browserSession(c, core);
  // Every attempt counts as a use of the browser's session.
  if (previous) await core.sessions.touch(previous, { type: "user", ip });
  const outcome = await core.users.authenticate(username, password, ip);
  if (!outcome.ok) return { kind: "failed", error: outcome.error };
  const attributes: Record<string, string> = {
    auth_user: outcome.value.username,
    // The server decides: the method actually used, and the client only if one started the flow.
    acr: PASSWORD_ACR,
    remote_ip: ip,
    user_agent: (c.req.header("user-agent") ?? "").slice(0, core.config.maxAttributeLength),
  };
  const actor = { type: "user" as const, id: outcome.value.username, ip };
  const result = await core.sessions.authenticated(previous, outcome.value, attributes, transport(c), actor);
  if (!result.ok) return { kind: "refused", error: result.error };
  if (result.value.cookie) issueSessionCookie(c, core, result.value.cookie);
  core.log.info("login", {});
  return { kind: "ok", session: result.value.session };
}

export function sessionRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();

  // The API: a JSON (or form) body, answered in JSON.
  app.post("/restv1/login", async (c) => {
    const parsed = await fieldsOf(c);
    if (typeof parsed === "string") return apiError(c, 400, parsed);
    if (parsed.kind === "form" && (crossSite(c) || !csrfValid(c, parsed.fields)))
      return apiError(c, 403, "a form login needs the page's CSRF token");
    const { username, password } = parsed.fields;
    if (!username || !password) return apiError(c, 400, "username and password are required");
    const r = await signIn(c, core, username, password);
    if (r.kind === "failed") return coreError(c, r.error);
    if (r.kind === "refused") return coreError(c, r.error);
    return c.json(sessionStatus(r.session));
  });

  // The page: a CSRF-protected HTML form; after an authorization request, back to it.
  app.get("/login", async (c) => {
    const next = safeContinue(c.req.query("continue"));
    // The form's redirect chain ends at the relying party, which form-action must allow.
    allowFormTargets(c, [await relyingPartyOf(core, next)]);
    return htmlPage(c, "Sign in", loginForm(csrfToken(c), "", "", next));
  });
  app.post("/login", async (c) => {
    const parsed = await fieldsOf(c);
    const fields = typeof parsed === "string" ? {} : parsed.fields;
    const next = safeContinue(fields.continue);
    allowFormTargets(c, [await relyingPartyOf(core, next)]);
    if (typeof parsed === "string" || crossSite(c) || !csrfValid(c, fields))
      return htmlPage(
        c,
        "Sign in",
        loginForm(csrfToken(c), "The form expired; please try again.", "", next),
        403,
      );
    const r = await signIn(c, core, fields.username ?? "", fields.password ?? "");
    if (r.kind === "failed") {
      const form = loginForm(csrfToken(c), r.error.message, fields.username ?? "", next);
      return htmlPage(c, "Sign in", form, refusalStatus(c, r.error));
    }
    if (r.kind === "refused")
      return htmlPage(c, "Sign in", loginForm(csrfToken(c), r.error.message, "", next), 403);
    if (next) return c.redirect(next, 303);
    return htmlPage(
      c,
      "Signed in",
      text(`You are signed in as ${fields.username ?? ""}.`, { signOut: csrfToken(c) }),
    );
  });

  app.get("/app", async (c) => {
    const found = await browserSession(c, core);
    const session = found && (await core.sessions.touch(found, { type: "user", ip: remoteAddress(c) }));
    if (session?.state !== "authenticated") {
      const form = loginForm(csrfToken(c), "Your session has ended; please sign in.", "", PROTECTED_APP);
      return htmlPage(c, "Sign in", form, 401);
    }
    const who = session.attributes.auth_user ?? "";
    return htmlPage(c, "Protected app", text(`Signed in as ${who}.`, { id: "who", signOut: csrfToken(c) }));
  });

  app.get("/restv1/session_status", async (c) => {
    const session = await browserSession(c, core);
    answerHeader(c, "Cache-Control", "no-store");
    return c.json(
      sessionStatus(session && (await core.sessions.touch(session, { type: "user", ip: remoteAddress(c) }))),
    );
  });

  return app;
}
