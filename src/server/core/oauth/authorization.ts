import { createHash, timingSafeEqual } from "node:crypto";
import type { ClientRecord, SessionRecord } from "../../store/types.js";
import type { ServerCore } from "../core.js";
import { hashSecret, randomToken } from "../passwords.js";
import {
  activeUser,
  fail,
  type GrantResult,
  personScopes,
  revokeFamily,
  scopeTokens,
  subjectOf,
  tokenBody,
} from "./grants.js";

// The authorization code flow (OpenID Connect Core 3.1) with PKCE (RFC 7636, S256 only).

export interface AuthorizationRequest {
  client: ClientRecord;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  nonce: string | null;
  codeChallenge: string | null;
  prompt: Set<string>;
  maxAge: number | null;
  acrValues: string | null;
}

/** Either the request, or an error shown to the person (bad client or redirect), or sent back to the client. */
export type ParsedAuthorization =
  | { ok: true; req: AuthorizationRequest }
  | { ok: false; redirect: false; message: string }
  | { ok: false; redirect: true; to: string; error: string; description: string; state: string | null };

const PROMPTS = new Set(["none", "login", "consent", "select_account"]);
const MAX_PARAM = 512;

/** Where the client gets its answer: the redirect URI with code or error, and state, in the query. */
export function redirectWith(to: string, params: Record<string, string | null | undefined>): string {
  const u = new URL(to);
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) u.searchParams.set(k, v);
  return u.href;
}

/**
 * The request's parameters, or (RFC 6749 3.1: none may be sent twice) the names repeated; a
 * repeated client_id or redirect_uri cannot even say where to send the error.
 */
export async function parseAuthorizationRequest(
  core: ServerCore,
  q: Record<string, string>,
  repeated: readonly string[] = [],
): Promise<ParsedAuthorization> {
  if (repeated.includes("client_id") || repeated.includes("redirect_uri"))
    return { ok: false, redirect: false, message: "client_id and redirect_uri may be given once only" };
  const client = q.client_id ? await core.clients.get(q.client_id) : undefined;
  if (!client) return { ok: false, redirect: false, message: "unknown client_id" };
  const redirectUri = q.redirect_uri ?? "";
  // Exact match only: anything else could send the code to someone else.
  if (!client.redirectUris.includes(redirectUri))
    return { ok: false, redirect: false, message: "redirect_uri is not registered for this client" };
  const state = q.state ?? null;
  const error = (e: string, description: string): ParsedAuthorization => ({
    ok: false,
    redirect: true,
    to: redirectUri,
    error: e,
    description,
    state,
  });
  if (repeated.length > 0) return error("invalid_request", `${repeated[0]} was given more than once`);
  if (Object.values(q).some((v) => v.length > MAX_PARAM))
    return error("invalid_request", "a parameter is too long");
  if (q.response_type !== "code")
    return error("unsupported_response_type", "only response_type=code is supported");
  const requested = scopeTokens(q.scope);
  const scopes = requested.filter((s) => client.scopes.includes(s));
  if (requested.length === 0 || scopes.length !== requested.length)
    return error("invalid_scope", "a requested scope is not allowed for this client");
  const prompt = new Set((q.prompt ?? "").split(" ").filter(Boolean));
  if ([...prompt].some((p) => !PROMPTS.has(p)) || (prompt.has("none") && prompt.size > 1))
    return error("invalid_request", "prompt is not valid");
  // There is no consent screen to show: say so rather than pretend consent was asked.
  if (prompt.has("consent")) return error("consent_required", "this server has no consent prompt");
  const maxAge =
    q.max_age === undefined ? null : /^\d{1,9}$/.test(q.max_age) ? Number(q.max_age) : Number.NaN;
  if (Number.isNaN(maxAge)) return error("invalid_request", "max_age must be a number of seconds");
  const challenge = q.code_challenge ?? null;
  if (challenge !== null && (q.code_challenge_method !== "S256" || !/^[A-Za-z0-9_-]{43}$/.test(challenge)))
    return error("invalid_request", "code_challenge must be S256 (code_challenge_method=S256)");
  if (client.type === "public" && challenge === null)
    return error("invalid_request", "a public client must use PKCE (S256)");
  return {
    ok: true,
    req: {
      client,
      redirectUri,
      scopes,
      state,
      nonce: q.nonce ?? null,
      codeChallenge: challenge,
      prompt,
      maxAge,
      acrValues: q.acr_values ?? null,
    },
  };
}

/** Whether the person must sign in (again) before a code can be issued. */
export function needsSignIn(
  req: AuthorizationRequest,
  session: SessionRecord | undefined,
  now: number,
): boolean {
  if (session?.state !== "authenticated" || session.authTime === null) return true;
  if (req.prompt.has("login")) return true;
  // Whole seconds, as auth_time is: max_age=0 accepts a sign-in made this very second.
  return req.maxAge !== null && Math.floor((now - session.authTime) / 1000) > req.maxAge;
}

/**
 * Issues a code for the session's user (single use, short-lived, stored hashed) and records the
 * grant; the code carries only the requested scopes the person's roles allow (none: undefined).
 */
export async function issueCode(
  core: ServerCore,
  req: AuthorizationRequest,
  session: SessionRecord,
): Promise<string | undefined> {
  const user = await activeUser(core, session.userDn ?? "");
  const scopes = user ? personScopes(req.scopes, user.roles) : [];
  if (scopes.length === 0) return undefined;
  const code = randomToken();
  await core.store.authorizationCodes.insert({
    codeHash: hashSecret(code),
    clientId: req.client.clientId,
    redirectUri: req.redirectUri,
    sid: session.sid,
    userDn: session.userDn!,
    scopes,
    nonce: req.nonce,
    codeChallenge: req.codeChallenge,
    authTime: session.authTime!,
    acr: session.attributes.acr ?? "simple_password_auth",
    expiresAt: core.clock.now() + core.config.authorizationCodeLifetime * 1000,
  });
  await core.sessions.recordGrant(session, req.client.clientId, scopes.join(" "));
  return code;
}

function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/** The code exchanged for an access token (bound to the session), a refresh token and an id_token. */
export async function authorizationCodeGrant(
  core: ServerCore,
  client: ClientRecord,
  form: Record<string, string>,
): Promise<GrantResult> {
  const now = core.clock.now();
  const hash = hashSecret(form.code ?? "");
  const code = await core.store.authorizationCodes.take(hash, now);
  if (!code) {
    // A replayed code: what its first redemption issued is revoked (RFC 6749 4.1.2).
    if ((await core.store.authorizationCodes.redeemedBy(hash)) === client.clientId)
      await revokeFamily(core, hash);
    return fail("invalid_grant", "unknown, used or expired code");
  }
  if (code.clientId !== client.clientId) return fail("invalid_grant", "unknown, used or expired code");
  if (code.redirectUri !== form.redirect_uri)
    return fail("invalid_grant", "redirect_uri does not match the authorization request");
  if (code.codeChallenge !== null && !pkceMatches(form.code_verifier ?? "", code.codeChallenge))
    return fail("invalid_grant", "code_verifier does not match the code_challenge");
  const session = await core.store.sessions.getLive(code.sid, now);
  if (!session) return fail("invalid_grant", "the session that issued this code has ended");
  const user = await activeUser(core, code.userDn);
  if (!user) return fail("invalid_grant", "the user cannot sign in");
  const scopes = personScopes(code.scopes, user.roles);
  if (scopes.length === 0)
    return fail("invalid_scope", "the user's roles allow none of the requested scopes");
  const body = await tokenBody(core, client.clientId, {
    subject: code.userDn,
    scopes,
    sid: code.sid,
    family: hash,
    refresh: { sid: code.sid, offline: scopes.includes("offline_access") },
    ...(scopes.includes("openid")
      ? {
          idToken: {
            sid: code.sid,
            authTime: code.authTime,
            acr: code.acr,
            nonce: code.nonce,
            subject: subjectOf(code.userDn),
          },
        }
      : {}),
  });
  return { ok: true, body };
}
