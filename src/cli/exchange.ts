import type { LiteFetch, LiteResponse } from "../http/lite.js";
import { type Exchange, type OperationCall, sendOperation } from "../http/send.js";
import type { OperationModel } from "../spec/model.js";
import { HttpStatusError } from "./errors.js";
import type { CliIO } from "./io.js";
import type { Authenticator, IssuedToken } from "./token.js";

export /** Authorization carries a bearer token (unless given with its scheme); an API-key header the key as given. */
function credentialValue(issued: IssuedToken): string {
  const bearer = (issued.header ?? "Authorization") === "Authorization" && !/\s/.test(issued.token);
  return bearer ? `Bearer ${issued.token}` : issued.token;
}

export function errorSummary(res: LiteResponse, text: string): string {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const detail =
      body.description ?? body.error_description ?? body.message ?? body.detail ?? body.error ?? body.title;
    if (typeof detail === "string" && detail) return `HTTP ${res.status}: ${detail}`;
  } catch {
    // not JSON: fall back to the status line
  }
  return `HTTP ${res.status} ${res.statusText}`.trim();
}

/** Sends with the operation's credential; a 401 drops the token, fetches once more and retries once. */
export async function sendWithAuth(
  fetch: LiteFetch,
  auth: Authenticator,
  op: OperationModel,
  call: OperationCall,
  issued: IssuedToken | undefined,
): Promise<{ exchange: Exchange; issued: IssuedToken | undefined }> {
  const send = (cred: IssuedToken | undefined) =>
    sendOperation(fetch, {
      ...call,
      ...(cred
        ? { headers: { ...(call.headers ?? {}), [cred.header ?? "Authorization"]: credentialValue(cred) } }
        : {}),
    });
  let exchange = await send(issued);
  // An explicit token is final; a cached or fetched one gets one more chance.
  if (exchange.response.status === 401 && issued && issued.source !== "explicit") {
    issued = await auth.forOperation(op, issued.token);
    exchange = await send(issued);
  }
  return { exchange, issued };
}

/** A non-2xx answer: its body on stderr (unless --debug showed it), then the typed error. */
export async function failOnError(res: LiteResponse, io: CliIO, debug: boolean): Promise<void> {
  if (res.ok) return;
  const text = await res.text();
  if (text && !debug) io.stderr.write(`${text.trimEnd()}\n`);
  throw new HttpStatusError(res.status, errorSummary(res, text));
}
