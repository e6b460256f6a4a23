import type { ClientRecord } from "../../store/types.js";
import type { ServerCore } from "../core.js";
import { fail, type OAuthFailure, subjectOf } from "./grants.js";
import { roleNamesOf } from "./scopes.js";
import type { AccessClaims } from "./tokens.js";

export type UserinfoResult =
  | {
      ok: true;
      claims: Record<string, unknown> & { sub: string };
      client: ClientRecord | undefined;
      /** The access token it answered. */
      token: AccessClaims;
    }
  | OAuthFailure;

/**
 * The claims about the person an access token was issued for (OpenID Connect Core 5.3): it must
 * carry `openid`, name a user that can still sign in, and not be revoked (its session included).
 */
export async function userinfo(core: ServerCore, token: string): Promise<UserinfoResult> {
  const verified = await core.tokens.verify(token);
  if (!verified.ok) return fail("invalid_token", `access token is ${verified.reason}`);
  const { claims } = verified;
  if (!claims.scopes.has("openid")) return fail("insufficient_scope", "userinfo needs the openid scope");
  const user = await core.users.getByDn(claims.subject);
  if (!user || user.disabled) return fail("invalid_token", "the token is not a current user's");
  const inum = subjectOf(user.dn);
  const out: Record<string, unknown> & { sub: string } = {
    sub: inum,
    inum,
    dn: user.dn,
    user_name: user.username,
    preferred_username: user.username,
    // Janssen's admin UI role claim, which its CLI and TUI read: both names of a renamed role,
    // for clients that check the current name (admin) and older ones that check api-admin.
    jansAdminUIRole: roleNamesOf(user.roles),
  };
  if (claims.scopes.has("profile")) out.name = user.username;
  if (claims.scopes.has("email") && user.email)
    Object.assign(out, { email: user.email, email_verified: false });
  return { ok: true, claims: out, client: await core.clients.get(claims.clientId), token: claims };
}

/**
 * Signed userinfo (Janssen's CLI sends it back as `ujwt`): it names the access token it came from
 * and lives no longer than it, so a ujwt is worth nothing once that token is revoked or expired.
 */
export function signedUserinfo(core: ServerCore, r: Extract<UserinfoResult, { ok: true }>): Promise<string> {
  const t = r.token;
  const left = Math.floor((t.exp - core.clock.now()) / 1000);
  const source = {
    src_jti: t.jti,
    src_iat: Math.floor(t.iat / 1000),
    ...(t.sid ? { sid: t.sid } : {}),
    ...(t.fam ? { fam: t.fam } : {}),
  };
  const lifetime = Math.max(1, Math.min(core.config.idTokenLifetime, left));
  return core.tokens.userinfoJwt(t.clientId, { ...r.claims, ...source }, lifetime);
}
