import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { ServerCore } from "../../core/core.js";
import { type ScopeRequirement, satisfies } from "../../core/oauth/scopes.js";
import type { AccessClaims } from "../../core/oauth/tokens.js";
import type { SessionRecord } from "../../store/types.js";
import { crossSite } from "../csrf.js";
import { bearerOf } from "../kit/bearer.js";
import type { FaceEnv } from "../kit/env.js";
import type { ErrorRenderer } from "../kit/errors.js";
import { remoteAddress, transport } from "../request-info.js";

// Who may use the admin console: a bearer token with admin scopes (as the config API), or an
// admin's page session. The page session is an access token of our own in an HttpOnly,
// SameSite=Strict cookie, so revocation, a disabled account and expiry end it as they end tokens.

export const ADMIN_COOKIE = "opcli_admin";
export const CONSOLE_CLIENT = "opcli-admin-console";

interface AdminCaller {
  claims: AccessClaims;
  /** Signed in through the page (a cookie), not a bearer token: state changes need a CSRF proof. */
  viaCookie: boolean;
}

async function callerOf(core: ServerCore, c: Context): Promise<AdminCaller | "invalid" | undefined> {
  const bearer = bearerOf(c);
  const token = bearer ?? getCookie(c, ADMIN_COOKIE);
  if (!token) return undefined;
  const r = await core.tokens.verify(token);
  if (!r.ok) return "invalid";
  // A console cookie is only ever one of ours, bound to a live console session.
  if (!bearer && !(await consoleSession(core, c, r.claims))) return "invalid";
  return { claims: r.claims, viaCookie: bearer === undefined };
}

/**
 * The session a console token is bound to: live (an admin can terminate it like any other), and
 * reached over TLS if it was made over TLS. Each request is a use of it.
 */
export async function consoleSession(
  core: ServerCore,
  c: Context,
  claims: AccessClaims,
): Promise<SessionRecord | undefined> {
  if (claims.clientId !== CONSOLE_CLIENT || !claims.sid) return undefined;
  const r = await core.sessions.get(claims.sid);
  if (!r.ok || (r.value.secure && !transport(c).secure)) return undefined;
  return core.sessions.touch(r.value, {
    type: "admin",
    id: r.value.attributes.auth_user ?? null,
    ip: remoteAddress(c),
  });
}

/**
 * Requires an admin caller holding the requirement, leaving the token's claims in `claims`;
 * renders failures in the caller's shape.
 */
export function adminAuth(core: ServerCore, requirement: ScopeRequirement, render: ErrorRenderer) {
  return createMiddleware<FaceEnv>(async (c, next) => {
    const caller = await callerOf(core, c);
    if (caller === undefined || caller === "invalid") {
      c.header("WWW-Authenticate", `Bearer realm="opcli-admin"${caller ? ', error="invalid_token"' : ""}`);
      return render(
        c,
        401,
        caller
          ? "the access token or console session is no longer valid"
          : "sign in, or send a bearer access token",
      );
    }
    if (!satisfies(caller.claims.scopes, requirement))
      return render(c, 403, "this needs an administrator's write scope");
    // A cookie-borne change must come from our own pages.
    if (caller.viaCookie && c.req.method !== "GET" && c.req.method !== "HEAD" && crossSite(c))
      return render(c, 403, "cross-site request refused");
    c.set("claims", caller.claims);
    await next();
  });
}

export function setConsoleCookie(core: ServerCore, c: Context, token: string): void {
  setCookie(c, ADMIN_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "Strict",
    secure: transport(c).secure,
    maxAge: core.config.adminSessionLifetime,
  });
}

export function clearConsoleCookie(c: Context): void {
  deleteCookie(c, ADMIN_COOKIE, { path: "/" });
}
