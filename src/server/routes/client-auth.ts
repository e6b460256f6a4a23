import type { ServerDeps } from "../deps.js";
import { verifySecret } from "../passwords.js";
import type { ClientRecord } from "../store/types.js";

export type ClientAuth =
  | { ok: true; client: ClientRecord; method: "client_secret_basic" | "client_secret_post" }
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
export function authenticateClient(
  deps: ServerDeps,
  authorization: string | undefined,
  form: Record<string, string>,
): ClientAuth {
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
  if (!clientId || secret === undefined) {
    return { ok: false, error: "invalid_client", description: "client authentication is required" };
  }
  const client = deps.store.getClient(clientId);
  if (!client || !verifySecret(secret, client.secretHash)) {
    return { ok: false, error: "invalid_client", description: "unknown client or wrong secret" };
  }
  return { ok: true, client, method: basic ? "client_secret_basic" : "client_secret_post" };
}
