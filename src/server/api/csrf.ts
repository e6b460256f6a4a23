import { timingSafeEqual } from "node:crypto";
import { getCookie, setCookie } from "hono/cookie";
import { randomToken } from "../core/passwords.js";
import type { FaceContext } from "./kit/env.js";
import { transport } from "./request-info.js";

// CSRF for HTML forms: a double-submit token (an HttpOnly, SameSite=Strict cookie and the same
// value in a hidden field), and an Origin check for every cookie-carrying state change.

const COOKIE = "csrf_token";
const PATH = "/";

/** The form's token, issuing the cookie when the browser has none yet. */
export function csrfToken(c: FaceContext): string {
  // One token per response, however many forms the page has.
  const issued = c.get("csrfIssued");
  if (issued) return issued;
  const existing = getCookie(c, COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomToken();
  c.set("csrfIssued", token);
  setCookie(c, COOKIE, token, {
    path: PATH,
    httpOnly: true,
    sameSite: "Strict",
    secure: transport(c).secure,
  });
  return token;
}

/** The posted form carries the browser's token. */
export function csrfValid(c: FaceContext, form: Record<string, string>): boolean {
  const cookie = getCookie(c, COOKIE) ?? "";
  const field = form.csrf_token ?? "";
  if (cookie.length === 0 || cookie.length !== field.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(field));
}

/** A browser's cross-site request (Origin or Sec-Fetch-Site says so); tools send neither. */
export function crossSite(c: FaceContext): boolean {
  // Browsers set Sec-Fetch-Site themselves (no page can forge it): when present, it decides.
  const site = c.req.header("sec-fetch-site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = c.req.header("origin");
  if (!origin) return false;
  return origin !== new URL(c.req.url).origin;
}
