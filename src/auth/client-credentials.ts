import type { LiteFetch } from "../http/lite.js";
import { LiteRequest } from "../http/lite.js";

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenResult {
  accessToken: string;
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
  ) {
    super(message);
  }
}

const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");

/** RFC 6749 client_credentials grant with client_secret_basic (or _post). */
export async function clientCredentialsGrant(
  fetch: LiteFetch,
  tokenUrl: string,
  creds: ClientCredentials,
  scopes: string[],
  opts: { method?: "basic" | "post"; now?: () => number } = {},
): Promise<TokenResult> {
  const form = new URLSearchParams({ grant_type: "client_credentials" });
  if (scopes.length > 0) form.set("scope", scopes.join(" "));
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  };
  if (opts.method === "post") {
    form.set("client_id", creds.clientId);
    form.set("client_secret", creds.clientSecret);
  } else {
    const basic = `${formEncode(creds.clientId)}:${formEncode(creds.clientSecret)}`;
    headers.Authorization = `Basic ${Buffer.from(basic).toString("base64")}`;
  }
  const res = await fetch(new LiteRequest(tokenUrl, { method: "POST", headers, body: form.toString() }));
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Fall through with an empty body; the status says what happened.
  }
  if (!res.ok || typeof body.access_token !== "string") {
    const code = typeof body.error === "string" ? body.error : undefined;
    const detail = typeof body.error_description === "string" ? `: ${body.error_description}` : "";
    throw new TokenError(
      `token endpoint ${tokenUrl} answered ${res.status}${code ? ` ${code}` : ""}${detail}`,
      code,
      res.status,
    );
  }
  const now = (opts.now ?? Date.now)();
  return {
    accessToken: body.access_token,
    expiresAt: typeof body.expires_in === "number" ? now + body.expires_in * 1000 : null,
    scope: typeof body.scope === "string" ? body.scope : scopes.join(" "),
  };
}
