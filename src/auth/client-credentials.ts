import type { LiteFetch } from "../http/lite.js";
import { LiteRequest } from "../http/lite.js";

export interface ClientCredentials {
  clientId: string;
  /** Absent for a public client (device flow). */
  clientSecret?: string;
}

export interface TokenResult {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number | null;
  scope: string;
}

/** Why a token request failed, without ever echoing the secret. */
export class TokenError extends Error {
  override name = "TokenError";
  constructor(
    message: string,
    readonly oauthError: string | undefined,
    readonly status: number,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export type ClientAuthMethod = "basic" | "post";

const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");

/** POSTs a form to an OAuth endpoint with client authentication; returns the JSON body. */
export async function oauthPost(
  fetch: LiteFetch,
  url: string,
  creds: ClientCredentials,
  fields: Record<string, string>,
  method: ClientAuthMethod = "basic",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams(fields);
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  };
  if (creds.clientSecret === undefined || method === "post") {
    form.set("client_id", creds.clientId);
    if (creds.clientSecret !== undefined) form.set("client_secret", creds.clientSecret);
  } else {
    const basic = `${formEncode(creds.clientId)}:${formEncode(creds.clientSecret)}`;
    headers.Authorization = `Basic ${Buffer.from(basic).toString("base64")}`;
  }
  const res = await fetch(new LiteRequest(url, { method: "POST", headers, body: form.toString() }));
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // Not JSON: the status says what happened.
  }
  return { status: res.status, body };
}

/** A token-endpoint call (any grant) turned into a TokenResult or a TokenError. */
export async function tokenGrant(
  fetch: LiteFetch,
  tokenUrl: string,
  creds: ClientCredentials,
  fields: Record<string, string>,
  opts: { method?: ClientAuthMethod; now?: () => number } = {},
): Promise<TokenResult> {
  const { status, body } = await oauthPost(fetch, tokenUrl, creds, fields, opts.method);
  if (status < 200 || status >= 300 || typeof body.access_token !== "string") {
    const code = typeof body.error === "string" ? body.error : undefined;
    const detail =
      typeof body.error_description === "string"
        ? `: ${body.error_description}`
        : status >= 200 && status < 300
          ? " but its answer has no access_token (is the token URL right?)"
          : "";
    throw new TokenError(
      `token endpoint ${tokenUrl} answered ${status}${code ? ` ${code}` : ""}${detail}`,
      code,
      status,
      body,
    );
  }
  const now = (opts.now ?? Date.now)();
  return {
    accessToken: body.access_token,
    ...(typeof body.refresh_token === "string" ? { refreshToken: body.refresh_token } : {}),
    expiresAt: typeof body.expires_in === "number" ? now + body.expires_in * 1000 : null,
    scope: typeof body.scope === "string" ? body.scope : (fields.scope ?? ""),
  };
}

/** RFC 6749 client_credentials grant with client_secret_basic (or _post). */
export function clientCredentialsGrant(
  fetch: LiteFetch,
  tokenUrl: string,
  creds: ClientCredentials,
  scopes: string[],
  opts: { method?: ClientAuthMethod; now?: () => number } = {},
): Promise<TokenResult> {
  return tokenGrant(
    fetch,
    tokenUrl,
    creds,
    { grant_type: "client_credentials", ...(scopes.length ? { scope: scopes.join(" ") } : {}) },
    opts,
  );
}

export function refreshTokenGrant(
  fetch: LiteFetch,
  tokenUrl: string,
  creds: ClientCredentials,
  refreshToken: string,
  opts: { method?: ClientAuthMethod; now?: () => number } = {},
): Promise<TokenResult> {
  return tokenGrant(
    fetch,
    tokenUrl,
    creds,
    { grant_type: "refresh_token", refresh_token: refreshToken },
    opts,
  );
}

/** RFC 7009 revocation; the answer does not matter beyond reaching the server. */
export async function revokeToken(
  fetch: LiteFetch,
  url: string,
  creds: ClientCredentials,
  token: string,
  hint: string,
): Promise<number> {
  const { status } = await oauthPost(fetch, url, creds, { token, token_type_hint: hint });
  return status;
}
