import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ServerCore } from "../../core/core.js";
import { type ScopeRequirement, satisfies } from "../../core/oauth/scopes.js";
import type { AccessClaims } from "../../core/oauth/tokens.js";
import type { FaceContext, FaceEnv } from "./env.js";
import type { ErrorRenderer } from "./errors.js";

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 2.1), the one parser of it. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
}

/** The request's bearer token, if its Authorization header carries one. */
export const bearerOf = (c: Context) => bearerToken(c.req.header("authorization"));

export interface BearerOptions {
  realm: string;
  requirement: ScopeRequirement;
  /** Named in the 403 message: "<what> needs scope ...". */
  what: string;
  render: ErrorRenderer;
}

/**
 * Requires a valid bearer access token (RFC 6750) holding every scope of one alternative of the
 * requirement; its claims are left in the context's `claims` variable.
 */
export function bearerAuth(core: ServerCore, opts: BearerOptions) {
  return createMiddleware<FaceEnv>(async (c, next) => {
    const token = bearerOf(c);
    if (!token) {
      c.header("WWW-Authenticate", `Bearer realm="${opts.realm}"`);
      return opts.render(c, 401, "a bearer access token is required");
    }
    const result = await core.tokens.verify(token);
    if (!result.ok) {
      c.header("WWW-Authenticate", `Bearer realm="${opts.realm}", error="invalid_token"`);
      return opts.render(c, 401, `access token is ${result.reason}`);
    }
    if (!satisfies(result.claims.scopes, opts.requirement)) {
      c.header("WWW-Authenticate", `Bearer realm="${opts.realm}", error="insufficient_scope"`);
      const needed = opts.requirement.map((alt) => alt.join(" + ")).join(" or ");
      return opts.render(c, 403, `${opts.what} needs scope ${needed}`);
    }
    c.set("claims", result.claims);
    await next();
  });
}

/** The claims bearerAuth or adminAuth verified for this request. */
export function claimsOf(c: FaceContext): AccessClaims | undefined {
  return c.get("claims");
}
