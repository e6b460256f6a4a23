import type { ClientRecord } from "../../store/types.js";
import type { ServerCore } from "../core.js";
import { hashSecret, randomToken } from "../passwords.js";
import { KNOWN_SCOPES, scopesOfRoles } from "./scopes.js";

export const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

export type GrantResult =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: 400 | 401; error: string; description: string };

export const fail = (error: string, description: string, status: 400 | 401 = 400): GrantResult => ({
  ok: false,
  status,
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

export interface TokenOptions {
  subject: string;
  scopes: string[];
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
  const body: Record<string, unknown> = {
    access_token: await core.tokens.issue(clientId, o.scopes, lifetime, o.subject, o.sid),
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

/** The id_token/userinfo subject of a user: the inum of their DN (Janssen's). */
export function subjectOf(dn: string): string {
  return /^inum=([^,]+),/.exec(dn)?.[1] ?? dn;
}

/**
 * A client_credentials grant carrying `ujwt` (Janssen's CLI after a device sign-in): the signed
 * userinfo of a person, issued by us to this client. The token gets the scopes the person's roles
 * allow, and the person as its subject.
 */
async function onBehalfOfUser(core: ServerCore, client: ClientRecord, ujwt: string): Promise<GrantResult> {
  const info = await core.tokens.verifyOwn(ujwt, client.clientId, { typ: "userinfo+jwt" });
  if (!info || typeof info.dn !== "string")
    return fail("invalid_grant", "ujwt is not a current userinfo token of ours for this client");
  const user = await core.users.getByDn(info.dn);
  if (!user || user.disabled) return fail("invalid_grant", "the user of the ujwt cannot sign in");
  const scopes = [...scopesOfRoles(user.roles)];
  if (scopes.length === 0) return fail("invalid_scope", "the user's roles allow no scope");
  core.stats.tokenGrants++;
  return { ok: true, body: await tokenBody(core, client.clientId, { subject: user.dn, scopes }) };
}

export async function clientCredentialsGrant(
  core: ServerCore,
  client: ClientRecord,
  form: Record<string, string>,
): Promise<GrantResult> {
  if (form.ujwt) return onBehalfOfUser(core, client, form.ujwt);
  if (client.type !== "confidential")
    return fail("unauthorized_client", "a public client has no client credentials");
  const scopes = grantableScopes(client, form.scope);
  if (scopes.length === 0) return fail("invalid_scope", "none of the requested scopes is allowed");
  core.stats.tokenGrants++;
  return { ok: true, body: await tokenBody(core, client.clientId, { subject: client.clientId, scopes }) };
}

/**
 * Refresh tokens rotate (each is good once). One bound to a session works while that session has
 * not been ended, and, unless granted offline_access, while it is live.
 */
export async function refreshTokenGrant(
  core: ServerCore,
  client: ClientRecord,
  form: Record<string, string>,
): Promise<GrantResult> {
  const now = core.clock.now();
  const rec = await core.store.refreshTokens.take(hashSecret(form.refresh_token ?? ""), now);
  if (!rec || rec.clientId !== client.clientId)
    return fail("invalid_grant", "unknown, used or expired refresh token");
  if (rec.sid) {
    if (await core.store.revocations.isRevoked(`sid:${rec.sid}`))
      return fail("invalid_grant", "the session of this refresh token has ended");
    if (!rec.offline && !(await core.store.sessions.getLive(rec.sid, now)))
      return fail("invalid_grant", "the session of this refresh token has ended");
  }
  core.stats.refreshGrants++;
  const refresh = { sid: rec.sid, offline: rec.offline };
  return {
    ok: true,
    body: await tokenBody(core, client.clientId, {
      subject: rec.subject,
      scopes: rec.scopes,
      refresh,
      ...(rec.sid ? { sid: rec.sid } : {}),
    }),
  };
}
