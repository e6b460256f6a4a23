import type { ApiModel, OperationModel } from "../spec/model.js";

// Where a credential goes for an operation, as its Security Scheme Objects say: OAuth 2.0, OpenID
// Connect and HTTP bearer as `Authorization: Bearer`, HTTP basic as `Authorization: Basic`, and an
// API key in the header, query parameter or cookie its scheme names.

export interface CredentialPlacement {
  in: "header" | "query" | "cookie";
  name: string;
  /** bearer: "Bearer <token>"; basic: "Basic base64(user:password)"; raw: the value as given. */
  form: "bearer" | "basic" | "raw";
  scheme: string;
}

/** The placement a scheme gives a credential, or undefined when it takes none we can supply. */
export function schemePlacement(model: ApiModel, scheme: string): CredentialPlacement | undefined {
  const s = model.securitySchemes[scheme];
  if (!s) return undefined;
  if (s.type === "oauth2" || s.type === "openIdConnect")
    return { in: "header", name: "Authorization", form: "bearer", scheme };
  if (s.type === "http") {
    const kind = s.scheme?.toLowerCase();
    if (kind === "bearer") return { in: "header", name: "Authorization", form: "bearer", scheme };
    if (kind === "basic") return { in: "header", name: "Authorization", form: "basic", scheme };
    return undefined;
  }
  if (s.type === "apiKey" && s.name && (s.in === "header" || s.in === "query" || s.in === "cookie"))
    return { in: s.in, name: s.name, form: "raw", scheme };
  return undefined;
}

/** Token schemes before API keys; keys in a header before a cookie before a URL (URLs get logged); basic last. */
function rank(p: CredentialPlacement): number {
  if (p.form === "bearer") return 0;
  if (p.form === "basic") return 4;
  return p.in === "header" ? 1 : p.in === "cookie" ? 2 : 3;
}

/** Where a given token goes: the best-ranked scheme the operation accepts, in document order within a rank. */
export function placementFor(model: ApiModel, op: OperationModel): CredentialPlacement | undefined {
  let best: CredentialPlacement | undefined;
  for (const alt of op.security)
    for (const { scheme } of alt) {
      const p = schemePlacement(model, scheme);
      if (p && (!best || rank(p) < rank(best))) best = p;
    }
  return best;
}

/** Whether the operation may also be called with no credential at all (`security: [..., {}]`). */
export function securityOptional(op: OperationModel): boolean {
  return op.security.length === 0 || op.security.some((alt) => alt.length === 0);
}

/**
 * The value as sent: a bearer token gets its scheme unless the user wrote one; basic credentials
 * given as `user:password` are base64-encoded (RFC 7617) unless already written `Basic ...`.
 */
export function placedValue(p: Pick<CredentialPlacement, "form">, token: string): string {
  if (p.form === "bearer") return /\s/.test(token) ? token : `Bearer ${token}`;
  if (p.form === "basic")
    return /^basic\s/i.test(token) ? token : `Basic ${Buffer.from(token, "utf8").toString("base64")}`;
  return token;
}
