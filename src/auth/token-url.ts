import type { LiteFetch } from "../http/lite.js";
import { LiteRequest } from "../http/lite.js";
import type { ApiModel, OperationModel } from "../spec/model.js";

/** A tokenUrl is usable when it is a real URL: no template braces, no "..." placeholder. */
export function usableTokenUrl(raw: string | undefined, origin: string): string | undefined {
  if (!raw || /[{}]|\.\.\./.test(raw)) return undefined;
  if (/^https?:\/\//i.test(raw)) return raw;
  if (raw.startsWith("/")) return new URL(raw, origin).href;
  return undefined;
}

/** The oauth2 scheme and scopes of the operation's first alternative that uses one. */
export function oauthRequirement(
  model: ApiModel,
  op: OperationModel,
): { scheme: string; scopes: string[] } | undefined {
  for (const alt of op.security) {
    for (const req of alt) {
      const s = model.securitySchemes[req.scheme];
      if (s && (s.type === "oauth2" || s.type === "openIdConnect")) {
        // Every oauth2 entry of this alternative contributes its scopes.
        const scopes = alt.filter((r) => r.scheme === req.scheme).flatMap((r) => r.scopes);
        return { scheme: req.scheme, scopes };
      }
    }
  }
  return undefined;
}

export interface Discovery {
  token_endpoint?: string;
  revocation_endpoint?: string;
  device_authorization_endpoint?: string;
}

/** OpenID discovery at the host's root: where the OAuth endpoints really are. */
export async function discover(fetch: LiteFetch, origin: string): Promise<Discovery> {
  const res = await fetch(
    new LiteRequest(`${origin}/.well-known/openid-configuration`, {
      headers: { Accept: "application/json" },
    }),
  );
  if (!res.ok) return {};
  try {
    const doc = (await res.json()) as Record<string, unknown>;
    const out: Discovery = {};
    for (const k of ["token_endpoint", "revocation_endpoint", "device_authorization_endpoint"] as const) {
      if (typeof doc[k] === "string") out[k] = doc[k] as string;
    }
    return out;
  } catch {
    return {};
  }
}
