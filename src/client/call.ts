import type { IssuedToken } from "../auth/authenticator.js";
import { type CredentialPlacement, placedValue } from "../auth/placement.js";
import type { BoundArgs } from "../http/args.js";
import type { LiteResponse } from "../http/lite.js";
import { type Exchange, type OperationCall, type PlacedCredential, sendOperation } from "../http/send.js";
import { HttpStatusError, UsageError } from "../platform/errors.js";
import type { OperationModel } from "../spec/model.js";
import type { ArgPair } from "./arg-pairs.js";
import type { DataInput } from "./request-body.js";

/** Arguments of one call, as a person or a script gives them. */
export interface CallInput {
  /** config-cli's `--endpoint-args` pairs (query, header, cookie, or path). */
  endpointArgs?: ArgPair[];
  /** config-cli's `--url-suffix` pairs (path parameters). */
  urlSuffix?: ArgPair[];
  /** Parameters by name, any location: scalars, arrays (repeated items) or objects. */
  params?: Record<string, unknown>;
  data?: DataInput;
  contentType?: string;
  /** The Accept header (else the media types the operation's responses declare). */
  accept?: string;
  /** Check JSON bodies against the schema (default true). */
  validate?: boolean;
}

/** One exchange's outcome as values, in the manner of openapi-fetch. */
export interface CallResult {
  ok: boolean;
  status: number;
  /** The parsed body of a 2xx answer (JSON, else its text; undefined when empty). */
  data?: unknown;
  /** The parsed body of any other answer. */
  error?: unknown;
  response: LiteResponse;
  request: Exchange["request"];
}

/** Parameters given by name, as the pairs the binder checks. */
export function paramsAsPairs(params: Record<string, unknown> | undefined, what = "params"): ArgPair[] {
  if (params === undefined || params === null) return [];
  if (typeof params !== "object" || Array.isArray(params)) throw new UsageError(`${what} must be an object`);
  return Object.entries(params).flatMap(([key, x]) =>
    (Array.isArray(x) ? x : [x])
      .filter((y) => y !== undefined && y !== null)
      .map((y) => ({ key, value: typeof y === "object" ? JSON.stringify(y) : String(y) })),
  );
}

const BEARER: CredentialPlacement = { in: "header", name: "Authorization", form: "bearer", scheme: "" };

/**
 * The credential as its scheme sends it: where (header, query, cookie) and how written. One the
 * user also gave by hand as a parameter of the same name and place is left to that parameter.
 */
export function placedCredential(issued: IssuedToken, args?: BoundArgs): PlacedCredential | undefined {
  const p = issued.placement ?? BEARER;
  if (args && p.in !== "header" && args[p.in][p.name] !== undefined) return undefined;
  if (
    args &&
    p.in === "header" &&
    Object.keys(args.header).some((k) => k.toLowerCase() === p.name.toLowerCase())
  )
    return undefined;
  return { in: p.in, name: p.name, value: placedValue(p, issued.token) };
}

/** The parsed body: JSON when it is JSON, else the text; undefined when empty. */
export async function parsedBody(res: LiteResponse): Promise<unknown> {
  const text = await res.text();
  if (text === "") return undefined;
  const type = res.headers.get("content-type") ?? "";
  if (/json/i.test(type) || /^[[{"]/.test(text.trimStart())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function errorSummary(res: LiteResponse, body: unknown): string {
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>;
    const detail = b.description ?? b.error_description ?? b.message ?? b.detail ?? b.error ?? b.title;
    if (typeof detail === "string" && detail) return `HTTP ${res.status}: ${detail}`;
  }
  return `HTTP ${res.status} ${res.statusText}`.trim();
}

/** A failed call as the typed error, with the body's text for whoever shows it. */
export async function statusError(result: CallResult): Promise<HttpStatusError & { body: string }> {
  const err = new HttpStatusError(
    result.status,
    errorSummary(result.response, result.error),
  ) as HttpStatusError & {
    body: string;
  };
  err.body = await result.response.text();
  return err;
}

export async function toResult(exchange: Exchange): Promise<CallResult> {
  const { response, request } = exchange;
  const body = await parsedBody(response);
  return {
    ok: response.ok,
    status: response.status,
    ...(response.ok ? { data: body } : { error: body }),
    response,
    request,
  };
}

/** Sends with the operation's credential; a 401 drops the token, fetches once more and retries once. */
export async function sendWithAuth(
  fetch: Parameters<typeof sendOperation>[0],
  credential: (op: OperationModel, rejected?: string) => Promise<IssuedToken | undefined>,
  call: OperationCall,
  issued: IssuedToken | undefined,
): Promise<{ exchange: Exchange; issued: IssuedToken | undefined }> {
  const send = (cred: IssuedToken | undefined) => {
    const placed = cred ? placedCredential(cred, call.args) : undefined;
    return sendOperation(fetch, { ...call, ...(placed ? { credential: placed } : {}) });
  };
  let exchange = await send(issued);
  // An explicit token is final; a cached or fetched one gets one more chance.
  if (exchange.response.status === 401 && issued && issued.source !== "explicit") {
    issued = await credential(call.op, issued.token);
    exchange = await send(issued);
  }
  return { exchange, issued };
}
