import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { ServerCore } from "../../core/core.js";
import { isoDate } from "../../core/dates.js";
import type { SessionRecord } from "../../store/types.js";
import { jsonObject } from "../kit/body.js";
import type { FaceContext } from "../kit/env.js";
import { JANS_AUTH } from "../kit/mounts.js";
import { hasControl } from "../middleware/input-guard.js";
import { transport } from "../request-info.js";
import { firstValues } from "./client-auth.js";

// What every browser-facing route of the auth server shares: the session cookie, the browser's
// session, request fields, the sign-out form.

export const SESSION_COOKIE = "session_id";
export const COOKIE_PATH = JANS_AUTH;
/** The method this server authenticates with, recorded as the session's acr. */
export const PASSWORD_ACR = "simple_password_auth";
const MAX_FIELD = 1024;

export function sessionStatus(s: SessionRecord | undefined) {
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
export async function fieldsOf(c: FaceContext): Promise<Fields | string> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  let kind: Fields["kind"];
  let raw: Record<string, unknown>;
  if (type.startsWith("application/json")) {
    kind = "json";
    const body = await jsonObject(c);
    if (typeof body === "string") return body;
    raw = body;
  } else if (type.startsWith("application/x-www-form-urlencoded")) {
    kind = "form";
    raw = firstValues(new URLSearchParams(await c.req.text()));
  } else {
    return "the body must be application/json or application/x-www-form-urlencoded";
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
export function issueSessionCookie(c: FaceContext, core: ServerCore, cookie: string): void {
  const maxAge = core.sessions.cookieMaxAge();
  setCookie(c, SESSION_COOKIE, cookie, {
    path: COOKIE_PATH,
    httpOnly: true,
    sameSite: "Lax",
    secure: transport(c).secure,
    ...(maxAge !== undefined ? { maxAge } : {}),
  });
}

export function clearSessionCookie(c: FaceContext): void {
  deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: transport(c).secure });
}

/** The browser's live session, if its cookie names one (not counted as a use). */
export function browserSession(c: FaceContext, core: ServerCore): Promise<SessionRecord | undefined> {
  return core.sessions.byCookie(getCookie(c, SESSION_COOKIE), transport(c));
}
