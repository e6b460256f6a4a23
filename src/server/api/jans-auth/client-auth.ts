import type { ServerCore } from "../../core/core.js";
import type { ClientRecord } from "../../store/types.js";
import { bearerToken } from "../kit/bearer.js";
import type { FaceContext } from "../kit/env.js";
import { oauthError } from "../kit/errors.js";

export type ClientAuth =
  | {
      ok: true;
      client: ClientRecord;
      method: "client_secret_basic" | "client_secret_post" | "none" | "bearer";
    }
  | { ok: false; error: "invalid_client" | "invalid_request"; description: string };

function decodeBasic(header: string): [string, string] | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  // RFC 6749 2.3.1: both halves are form-urlencoded before base64.
  try {
    return [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
  } catch {
    return null;
  }
}

/** client_secret_basic or client_secret_post; using both at once is refused, as RFC 6749 asks. */
export async function authenticateClient(
  core: ServerCore,
  authorization: string | undefined,
  form: Record<string, string>,
): Promise<ClientAuth> {
  const basic = authorization ? decodeBasic(authorization) : null;
  if (authorization && !basic) {
    return { ok: false, error: "invalid_client", description: "malformed Basic authorization" };
  }
  if (basic && (form.client_id !== undefined || form.client_secret !== undefined)) {
    if (form.client_secret !== undefined || form.client_id !== basic[0]) {
      return { ok: false, error: "invalid_request", description: "use one client authentication method" };
    }
  }
  const [clientId, secret] = basic ?? [form.client_id, form.client_secret];
  if (clientId && secret === undefined && !authorization) {
    // A public client identifies itself by client_id alone (it then must use PKCE or a device code).
    const pub = await core.clients.get(clientId);
    if (pub?.type === "public") return { ok: true, client: pub, method: "none" };
  }
  if (!clientId || secret === undefined) {
    return { ok: false, error: "invalid_client", description: "client authentication is required" };
  }
  const client = await core.clients.verify(clientId, secret);
  if (!client) return { ok: false, error: "invalid_client", description: "unknown client or wrong secret" };
  return { ok: true, client, method: basic ? "client_secret_basic" : "client_secret_post" };
}

/** A form's fields; a repeated one keeps its first value (as servlets do, and Janssen's CLI relies on). */
export function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

export async function formBody(c: FaceContext): Promise<Record<string, string> | null> {
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return null;
  return firstValues(new URLSearchParams(await c.req.text()));
}

export type Authenticated = {
  form: Record<string, string>;
  client: ClientRecord;
  method: string;
  /** With the bearer method: the person whose token authenticated the request. */
  bearerSubject?: string;
};

/**
 * The prologue of every client-authenticated OAuth endpoint: a form body and client_secret_basic
 * or _post; returns the error response instead when either is wrong.
 */
export async function authenticatedForm(core: ServerCore, c: FaceContext): Promise<Authenticated | Response> {
  const form = await formBody(c);
  if (!form) return oauthError(c, 400, "invalid_request", "body must be application/x-www-form-urlencoded");
  const header = c.req.header("authorization") ?? "";
  const bearer = bearerToken(header);
  if (bearer && form.grant_type === "client_credentials" && form.ujwt) {
    // Janssen's CLI authenticates this one request with the access token its client got for the person.
    const verified = await core.tokens.verify(bearer);
    const client = verified.ok ? await core.clients.get(verified.claims.clientId) : undefined;
    if (client && verified.ok && verified.claims.subject !== client.clientId)
      return { form, client, method: "bearer", bearerSubject: verified.claims.subject };
    c.header("WWW-Authenticate", 'Bearer realm="jans-auth", error="invalid_token"');
    return oauthError(c, 401, "invalid_client", "the bearer token does not authenticate a client");
  }
  const auth = await authenticateClient(core, header || undefined, form);
  if (auth.ok) return { form, client: auth.client, method: auth.method };
  if (auth.error === "invalid_client") c.header("WWW-Authenticate", 'Basic realm="jans-auth"');
  return oauthError(c, auth.error === "invalid_client" ? 401 : 400, auth.error, auth.description);
}
