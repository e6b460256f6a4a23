import type { Context, MiddlewareHandler } from "hono";
import type { ServerCore } from "../../core/core.js";
import { type ScopeRequirement, satisfies } from "../../core/oauth/scopes.js";
import type { AccessClaims } from "../../core/oauth/tokens.js";

/** How a face reports an auth failure in its own error shape. */
export type AuthErrorRenderer = (c: Context, status: 401 | 403, message: string) => Response;

export interface BearerOptions {
  realm: string;
  requirement: ScopeRequirement;
  /** Named in the 403 message: "<what> needs scope ...". */
  what: string;
  render: AuthErrorRenderer;
}

/**
 * Requires a valid bearer access token (RFC 6750) holding every scope of one alternative of the
 * requirement; the claims are left in the context as "claims".
 */
export function bearerAuth(core: ServerCore, opts: BearerOptions): MiddlewareHandler {
  return async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    if (!match) {
      c.header("WWW-Authenticate", `Bearer realm="${opts.realm}"`);
      return opts.render(c, 401, "a bearer access token is required");
    }
    const result = await core.tokens.verify(match[1]!);
    if (!result.ok) {
      c.header("WWW-Authenticate", `Bearer realm="${opts.realm}", error="invalid_token"`);
      return opts.render(c, 401, `access token is ${result.reason}`);
    }
    if (!satisfies(result.claims.scopes, opts.requirement)) {
      c.header("WWW-Authenticate", `Bearer realm="${opts.realm}", error="insufficient_scope"`);
      const needed = opts.requirement.map((alt) => alt.join(" + ")).join(" or ");
      return opts.render(c, 403, `${opts.what} needs scope ${needed}`);
    }
    c.set("claims" as never, result.claims as never);
    await next();
  };
}

export function claimsOf(c: Context): AccessClaims | undefined {
  return c.get("claims" as never) as AccessClaims | undefined;
}
