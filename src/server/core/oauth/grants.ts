import type { ClientRecord, UserRecord } from "../../store/types.js";
import type { ServerCore } from "../core.js";
import { hashSecret, randomToken } from "../passwords.js";
import { KNOWN_SCOPES, OIDC_SCOPES, scopesOfRoles } from "./scopes.js";

export const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/**
 * The OAuth error codes the core answers with (RFC 6749 5.2, RFC 8628 3.5, RFC 6750 3.1): the
 * protocol's own vocabulary, no HTTP; the face that speaks OAuth gives each its status.
 */
export type OAuthErrorCode =
  | "invalid_grant"
  | "invalid_scope"
  | "unauthorized_client"
  | "expired_token"
  | "slow_down"
  | "authorization_pending"
  | "access_denied"
  | "invalid_token"
  | "insufficient_scope";

export type OAuthFailure = { ok: false; error: OAuthErrorCode; description: string };

export type GrantResult = { ok: true; body: Record<string, unknown> } | OAuthFailure;

export const fail = (error: OAuthErrorCode, description: string): OAuthFailure => ({
  ok: false,
  error,
  description,
});

/**
 * The scope parameter's tokens: space-separated (RFC 6749), and also "+"-joined as Janssen's CLI
 * sends them (a form value `openid+profile`), when every "+" part is a scope we know.
 */
export function scopeTokens(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((t) =>
      t.includes("+") && t.split("+").every((p) => KNOWN_SCOPES.includes(p)) ? t.split("+") : [t],
    );
}

/** Requested scopes the client may have; none requested means all of them. */
export function grantableScopes(client: ClientRecord, requested: string | undefined): string[] {
  const wanted = scopeTokens(requested);
  const allowed = new Set(client.scopes);
  return wanted.length === 0 ? client.scopes : [...new Set(wanted.filter((s) => allowed.has(s)))];
}

/**
 * What a person may be given of these scopes: the OpenID ones, and the admin scopes their roles
 * allow. Whatever a client is registered for, a person without an admin role gets no admin scope.
 */
export function personScopes(scopes: readonly string[], roles: readonly string[]): string[] {
  const allowed = scopesOfRoles(roles);
  return scopes.filter((s) => (OIDC_SCOPES as readonly string[]).includes(s) || allowed.has(s));
}

/** The user a person's grant is for, if they can still sign in. */
export async function activeUser(core: ServerCore, dn: string): Promise<UserRecord | undefined> {
  const user = await core.users.getByDn(dn);
  return user && !user.disabled ? user : undefined;
}

/**
 * Ends a grant family: its refresh tokens deleted, its access tokens refused from now on (a
 * replayed code or rotated refresh token, RFC 6749 4.1.2 and RFC 9700 4.14.2).
 */
export async function revokeFamily(core: ServerCore, family: string): Promise<void> {
  const until = core.clock.now() + core.config.accessTokenLifetime * 1000 + 60_000;
  await core.store.revocations.revoke(`fam:${family}`, until);
  await core.store.refreshTokens.deleteFamily(family);
}

export interface TokenOptions {
  subject: string;
  scopes: string[];
  /** The grant family: access tokens name it, refresh tokens join it (a new one when absent). */
  family?: string;
  /** A refresh token too, bound to this session (or offline). */
  refresh?: { sid: string | null; offline: boolean };
  /** The session the access token is bound to. */
  sid?: string;
  /** An id_token too. */
  idToken?: { sid: string; authTime: number; acr: string; nonce: string | null; subject: string };
}

/** The token response: access token, and a refresh token and id_token when asked. */
export async function tokenBody(core: ServerCore, clientId: string, o: TokenOptions) {
  const lifetime = core.config.accessTokenLifetime;
  // A grant with a refresh token is a family: revoking it (or replaying one) ends its access tokens too.
  const family = o.family ?? (o.refresh ? randomToken() : undefined);
  const body: Record<string, unknown> = {
    access_token: await core.tokens.issue(clientId, o.scopes, lifetime, o.subject, o.sid, family),
    token_type: "Bearer",
    expires_in: lifetime,
    scope: o.scopes.join(" "),
  };
  if (o.refresh) {
    const refresh = randomToken();
    await core.store.refreshTokens.insert({
      tokenHash: hashSecret(refresh),
      clientId,
      subject: o.subject,
      scopes: o.scopes,
      expiresAt: core.clock.now() + core.config.refreshTokenLifetime * 1000,
      sid: o.refresh.sid,
      offline: o.refresh.offline,
      family: family!,
    });
    body.refresh_token = refresh;
  }
  if (o.idToken) {
    const t = o.idToken;
    body.id_token = await core.tokens.idToken(
      clientId,
      t.subject,
      { sid: t.sid, auth_time: Math.floor(t.authTime / 1000), acr: t.acr, nonce: t.nonce },
      core.config.idTokenLifetime,
    );
  }
  return body;
}

export { subjectOf } from "./subject.js";

/**
 * A client_credentials grant carrying `ujwt` (Janssen's CLI after a device sign-in): the signed
 * userinfo of a person, issued by us to this client, naming the person's access token it came
 * from. It is good while that token is (not revoked, its session not ended, the person not
 * disabled) and gives the client's registered scopes that the person's roles allow, no more.
 */
async function onBehalfOfUser(
  core: ServerCore,
  client: ClientRecord,
  ujwt: string,
  bearerSubject: string | undefined,
): Promise<GrantResult> {
  const info = await core.tokens.verifyOwn(ujwt, client.clientId, { typ: "userinfo+jwt" });
  if (
    !info ||
    typeof info.dn !== "string" ||
    typeof info.src_jti !== "string" ||
    typeof info.src_iat !== "number"
  )
    return fail("invalid_grant", "ujwt is not a current userinfo token of ours for this client");
  if (bearerSubject !== undefined && bearerSubject !== info.dn)
    return fail("invalid_grant", "the ujwt is not the bearer token's person's");
  const source = {
    clientId: client.clientId,
    subject: info.dn,
    jti: info.src_jti,
    iat: info.src_iat * 1000,
    ...(typeof info.sid === "string" ? { sid: info.sid } : {}),
    ...(typeof info.fam === "string" ? { fam: info.fam } : {}),
  };
  const user = await activeUser(core, info.dn);
  if (!user || !(await core.tokens.isLive(source)))
    return fail("invalid_grant", "the sign-in behind this ujwt has ended");
  const roleScopes = scopesOfRoles(user.roles);
  const scopes = client.scopes.filter((s) => roleScopes.has(s));
  if (scopes.length === 0)
    return fail("invalid_scope", "the user's roles allow none of this client's scopes");
  core.stats.tokenGrants++;
  const bound = { ...(source.sid ? { sid: source.sid } : {}), ...(source.fam ? { family: source.fam } : {}) };
  return { ok: true, body: await tokenBody(core, client.clientId, { subject: user.dn, scopes, ...bound }) };
}

export async function clientCredentialsGrant(
  core: ServerCore,
  client: ClientRecord,
  form: Record<string, string>,
  bearerSubject?: string,
): Promise<GrantResult> {
  if (form.ujwt) return onBehalfOfUser(core, client, form.ujwt, bearerSubject);
  if (client.type !== "confidential")
    return fail("unauthorized_client", "a public client has no client credentials");
  const scopes = grantableScopes(client, form.scope);
  if (scopes.length === 0) return fail("invalid_scope", "none of the requested scopes is allowed");
  core.stats.tokenGrants++;
  return { ok: true, body: await tokenBody(core, client.clientId, { subject: client.clientId, scopes }) };
}

/** A rotated refresh token presented again: the family is revoked, as the token may be stolen. */
async function refreshReplay(core: ServerCore, client: ClientRecord, hash: string): Promise<GrantResult> {
  const seen = await core.store.refreshTokens.find(hash);
  if (seen?.used && seen.token.clientId === client.clientId) {
    await revokeFamily(core, seen.token.family);
    core.log.warn("refresh token replayed: its grant family is revoked", { client: client.clientId });
  }
  return fail("invalid_grant", "unknown, used or expired refresh token");
}

/**
 * RFC 7009: a refresh token of this client ends with its whole grant family (its access tokens
 * included); an access token by its jti. Unknown or foreign tokens are ignored.
 */
export async function revokeToken(core: ServerCore, token: string, clientId: string): Promise<void> {
  const found = await core.store.refreshTokens.find(hashSecret(token));
  if (found) {
    if (found.token.clientId === clientId) await revokeFamily(core, found.token.family);
    return;
  }
  await core.tokens.revoke(token, clientId);
}

/**
 * Refresh tokens rotate (each is good once; a second use revokes the family). One bound to a
 * session works while that session has not been ended, and, unless granted offline_access, while
 * it is live. A person's refresh gets no more than their roles allow now.
 */
export async function refreshTokenGrant(
  core: ServerCore,
  client: ClientRecord,
  form: Record<string, string>,
): Promise<GrantResult> {
  const now = core.clock.now();
  const hash = hashSecret(form.refresh_token ?? "");
  const rec = await core.store.refreshTokens.take(hash, now);
  if (!rec) return refreshReplay(core, client, hash);
  if (rec.clientId !== client.clientId)
    return fail("invalid_grant", "unknown, used or expired refresh token");
  if (rec.sid) {
    if (await core.store.revocations.isTokenRevoked([`sid:${rec.sid}`]))
      return fail("invalid_grant", "the session of this refresh token has ended");
    if (!rec.offline && !(await core.store.sessions.getLive(rec.sid, now)))
      return fail("invalid_grant", "the session of this refresh token has ended");
  }
  let scopes = rec.scopes;
  if (rec.subject !== rec.clientId) {
    const user = await activeUser(core, rec.subject);
    if (!user) return fail("invalid_grant", "the user cannot sign in");
    scopes = personScopes(rec.scopes, user.roles);
  }
  core.stats.refreshGrants++;
  const refresh = { sid: rec.sid, offline: rec.offline };
  return {
    ok: true,
    body: await tokenBody(core, client.clientId, {
      subject: rec.subject,
      scopes,
      refresh,
      family: rec.family,
      ...(rec.sid ? { sid: rec.sid } : {}),
    }),
  };
}
