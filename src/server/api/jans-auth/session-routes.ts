import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { ServerCore } from "../../core/core.js";
import { isoDate } from "../../core/dates.js";
import type { CoreError } from "../../core/errors.js";
import type { AuthOutcome } from "../../core/users.js";
import type { SessionRecord } from "../../store/types.js";
import { crossSite, csrfToken, csrfValid } from "../csrf.js";
import { apiError, coreError } from "../errors.js";
import { alert, escapeHtml, hidden, htmlPage } from "../html.js";
import { hasControl } from "../middleware/input-guard.js";
import { remoteAddress, transport } from "../request-info.js";

export const SESSION_COOKIE = "session_id";
export const COOKIE_PATH = "/jans-auth";
/** The method this server authenticates with, recorded as the session's acr. */
export const PASSWORD_ACR = "simple_password_auth";
const MAX_FIELD = 1024;

function status(s: SessionRecord | undefined) {
  if (!s) return { state: "unknown" as const };
  return {
    state: s.state,
    sid: s.sid,
    ...(s.attributes.auth_user ? { auth_user: s.attributes.auth_user } : {}),
    auth_time: s.authTime === null ? null : isoDate(s.authTime),
    expires_at: isoDate(s.expiresAt),
  };
}

export type Fields = { kind: "json" | "form"; fields: Record<string, string> };

/** A JSON object or a form of strings only, each short and free of control characters. */
export async function fieldsOf(c: Context): Promise<Fields | string> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  let kind: Fields["kind"];
  let raw: Record<string, unknown>;
  try {
    if (type.startsWith("application/json")) {
      kind = "json";
      const body = (await c.req.json()) as unknown;
      if (typeof body !== "object" || body === null || Array.isArray(body))
        return "the body must be a JSON object";
      raw = body as Record<string, unknown>;
    } else if (type.startsWith("application/x-www-form-urlencoded")) {
      kind = "form";
      raw = Object.fromEntries(new URLSearchParams(await c.req.text()));
    } else {
      return "the body must be application/json or application/x-www-form-urlencoded";
    }
  } catch {
    return "the body is not valid JSON";
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== "string") return `${k} must be a string`;
    if (v.length > MAX_FIELD) return `${k} is longer than ${MAX_FIELD} characters`;
    if (hasControl(v)) return `${k} contains a control character`;
    fields[k] = v;
  }
  return { kind, fields };
}

/** The session_id cookie: HttpOnly, SameSite=Lax, Secure over TLS, Max-Age per sessionIdCookieLifetime. */
export function issueSessionCookie(c: Context, core: ServerCore, cookie: string): void {
  const maxAge = core.sessions.cookieMaxAge();
  setCookie(c, SESSION_COOKIE, cookie, {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: "Lax",
    secure: transport(c).secure,
    ...(maxAge !== undefined ? { maxAge } : {}),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: transport(c).secure });
}

/** The browser's live session, if its cookie names one (not counted as a use). */
export function browserSession(c: Context, core: ServerCore): Promise<SessionRecord | undefined> {
  return core.sessions.byCookie(getCookie(c, SESSION_COOKIE), transport(c));
}

/** Every page of a signed-in person offers sign-out (ASVS 7.4.4). */
export function signOutForm(token: string): string {
  return `<form method="post" action="/jans-auth/restv1/end_session">${hidden("csrf_token", token)}<button type="submit">Sign out</button></form>`;
}

function loginForm(token: string, message = "", username = ""): string {
  return `${alert(message)}<form method="post" action="/jans-auth/login">${hidden("csrf_token", token)}
<label for="username">User name</label><input id="username" name="username" autocomplete="username" value="${escapeHtml(username)}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`;
}

type Failed = Exclude<AuthOutcome, { ok: true }>;
export type SignIn =
  | { kind: "failed"; outcome: Failed }
  | { kind: "refused"; error: CoreError }
  | { kind: "ok"; session: SessionRecord };

/** The status of a failed sign-in, with Retry-After when waiting helps. */
export function failedStatus(c: Context, outcome: Failed): 401 | 423 | 429 {
  if (outcome.status !== 401) c.header("Retry-After", String(outcome.retryAfterSeconds));
  return outcome.status;
}

/** Signs a user in with the lockout rules; a new session replaces the browser's old one. */
export async function signIn(
  c: Context,
  core: ServerCore,
  username: string,
  password: string,
): Promise<SignIn> {
  const previous = await browserSession(c, core);
  // Every attempt counts as a use of the browser's session.
  if (previous) await core.sessions.touch(previous);
  const outcome = await core.users.authenticate(username, password, remoteAddress(c));
  if (!outcome.ok) return { kind: "failed", outcome };
  const attributes: Record<string, string> = {
    auth_user: outcome.user.username,
    // The server decides: the method actually used, and the client only if one started the flow.
    acr: PASSWORD_ACR,
    remote_ip: remoteAddress(c),
    user_agent: (c.req.header("user-agent") ?? "").slice(0, core.config.maxAttributeLength),
  };
  const result = await core.sessions.authenticated(previous, outcome.user.dn, attributes, transport(c));
  if (!result.ok) return { kind: "refused", error: result.error };
  if (result.value.cookie) issueSessionCookie(c, core, result.value.cookie);
  core.log.info("login", {});
  return { kind: "ok", session: result.value.session };
}

export function sessionRoutes(core: ServerCore): Hono {
  const app = new Hono();
  const { sessions } = core;

  app.get("/restv1/authorize", async (c) => {
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
    const created = await sessions.create("unauthenticated", null, attributes, transport(c));
    if (!created.ok) return coreError(c, created.error);
    issueSessionCookie(c, core, created.value.cookie);
    return c.json(status(created.value.session));
  });

  // The API: a JSON (or form) body, answered in JSON.
  app.post("/restv1/login", async (c) => {
    const parsed = await fieldsOf(c);
    if (typeof parsed === "string") return apiError(c, 400, parsed);
    if (parsed.kind === "form" && (crossSite(c) || !csrfValid(c, parsed.fields)))
      return apiError(c, 403, "a form login needs the page's CSRF token");
    const { username, password } = parsed.fields;
    if (!username || !password) return apiError(c, 400, "username and password are required");
    const r = await signIn(c, core, username, password);
    if (r.kind === "failed") return apiError(c, failedStatus(c, r.outcome), r.outcome.message);
    if (r.kind === "refused") return coreError(c, r.error);
    return c.json(status(r.session));
  });

  // The page: a CSRF-protected HTML form.
  app.get("/login", (c) => htmlPage(c, "Sign in", loginForm(csrfToken(c))));
  app.post("/login", async (c) => {
    const parsed = await fieldsOf(c);
    const fields = typeof parsed === "string" ? {} : parsed.fields;
    if (typeof parsed === "string" || crossSite(c) || !csrfValid(c, fields))
      return htmlPage(c, "Sign in", loginForm(csrfToken(c), "The form expired; please try again."), 403);
    const r = await signIn(c, core, fields.username ?? "", fields.password ?? "");
    if (r.kind === "failed") {
      const form = loginForm(csrfToken(c), r.outcome.message, fields.username ?? "");
      return htmlPage(c, "Sign in", form, failedStatus(c, r.outcome));
    }
    if (r.kind === "refused") return htmlPage(c, "Sign in", loginForm(csrfToken(c), r.error.message), 403);
    return htmlPage(
      c,
      "Signed in",
      `<p>You are signed in as ${escapeHtml(fields.username ?? "")}.</p>${signOutForm(csrfToken(c))}`,
    );
  });

  app.get("/restv1/session_status", async (c) => {
    const session = await browserSession(c, core);
    c.header("Cache-Control", "no-store");
    return c.json(status(session && (await sessions.touch(session))));
  });

  // Logout by GET only asks; the POST (same origin, with the page's token for a form) ends it.
  app.get("/restv1/end_session", (c) =>
    htmlPage(c, "Sign out", `<p>Sign out of this browser's session?</p>${signOutForm(csrfToken(c))}`),
  );
  app.post("/restv1/end_session", async (c) => {
    if (crossSite(c)) return apiError(c, 403, "cross-site sign-out refused");
    const type = (c.req.header("content-type") ?? "").toLowerCase();
    if (type.startsWith("application/x-www-form-urlencoded")) {
      const parsed = await fieldsOf(c);
      if (typeof parsed === "string" || !csrfValid(c, parsed.fields))
        return apiError(c, 403, "the sign-out form needs its CSRF token");
    }
    const session = await browserSession(c, core);
    clearSessionCookie(c);
    if (!session || !(await sessions.end(session)))
      return apiError(c, 404, "no live session for this browser");
    return c.body(null, 204);
  });

  return app;
}
