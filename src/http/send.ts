import { createFinalURL, defaultPathSerializer, removeTrailingSlash } from "openapi-fetch";
import type { OperationModel } from "../spec/model.js";
import type { BoundArgs } from "./args.js";
import { type LiteFetch, LiteRequest, type LiteResponse } from "./lite.js";
import {
  fixedQueryString,
  pathTemplate,
  serializeCookies,
  serializeHeader,
  serializeQuery,
  strictEncode,
} from "./serialize.js";

export interface OperationCall {
  op: OperationModel;
  baseUrl: string;
  args: BoundArgs;
  /** Already-serialised body and its media type. */
  body?: { contentType: string; payload: string | Uint8Array };
  /** Extra headers. */
  headers?: Record<string, string>;
  /** The credential, where its security scheme puts it (a header, a query parameter or a cookie). */
  credential?: PlacedCredential;
}

export interface PlacedCredential {
  in: "header" | "query" | "cookie";
  name: string;
  value: string;
}

export interface Exchange {
  request: LiteRequest;
  response: LiteResponse;
}

/**
 * openapi-fetch's path serialiser, with every string value encoded as RFC 6570 simple expansion
 * demands: all but the unreserved characters, so `!'()*` too (encodeURIComponent leaves them), and
 * values made only of dots ("." and "..") as well, which URL parsing would otherwise resolve away.
 * Values are swapped for marks the serialiser leaves alone, then the marks for the encoded values.
 */
function strictPathSerializer(pathname: string, params: Record<string, unknown>): string {
  const marks = new Map<string, string>();
  const mark = (v: unknown): unknown => {
    if (typeof v !== "string") return v;
    const m = `opcli-mark-${marks.size}-x`;
    marks.set(m, strictEncode(v));
    return m;
  };
  const safe: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) safe[k] = v.map(mark);
    else if (typeof v === "object" && v !== null)
      safe[k] = Object.fromEntries(Object.entries(v).map(([key, x]) => [key, mark(x)]));
    else safe[k] = mark(v);
  }
  let out = defaultPathSerializer(pathname, safe);
  for (const [m, enc] of marks) out = out.replace(m, enc);
  return out;
}

/**
 * The request URL, built by openapi-fetch's own URL builder and path serialiser (style markers
 * from the model) with the model's per-parameter query serialiser.
 */
export function operationUrl(call: Pick<OperationCall, "op" | "baseUrl" | "args" | "credential">): string {
  const cred = call.credential?.in === "query" ? call.credential : undefined;
  return createFinalURL(pathTemplate(call.op.path, call.op.params), {
    baseUrl: removeTrailingSlash(call.baseUrl),
    params: { path: call.args.path, query: call.args.query },
    querySerializer: (q: Record<string, unknown>) =>
      [
        fixedQueryString(call.op),
        serializeQuery(call.op.params, q as BoundArgs["query"]),
        cred ? `${strictEncode(cred.name)}=${strictEncode(cred.value)}` : "",
      ]
        .filter(Boolean)
        .join("&"),
    pathSerializer: strictPathSerializer,
  });
}

/** What the operation's success responses declare; JSON when they declare nothing (errors are JSON). */
export function acceptFor(op: Pick<OperationModel, "responseTypes">): string {
  const types = op.responseTypes?.filter((t) => /^[^\s/;,]+\/[^\s;,]+(\s*;[^\r\n,]*)?$/.test(t)) ?? [];
  return types.length ? types.join(", ") : "application/json";
}

export function operationHeaders(call: OperationCall): Record<string, string> {
  const { op, args } = call;
  const headers: Record<string, string> = { Accept: acceptFor(op), ...(call.headers ?? {}) };
  const cred = call.credential;
  if (cred?.in === "header") headers[cred.name] = cred.value;
  for (const p of op.params) {
    const v = args.header[p.name];
    if (p.in === "header" && v !== undefined) headers[p.name] = serializeHeader(v, p.explode);
  }
  const cookies = [
    serializeCookies(op.params, args.cookie),
    cred?.in === "cookie" ? `${cred.name}=${strictEncode(cred.value)}` : undefined,
  ].filter(Boolean);
  if (cookies.length) headers.Cookie = cookies.join("; ");
  if (call.body) headers["Content-Type"] = call.body.contentType;
  return headers;
}

/**
 * Sends one operation. openapi-fetch's client would build a WHATWG Headers object per call,
 * which loads undici (13.7 ms of start-up, measured with --cpu-prof); its URL builder and
 * serialisers are used directly instead, over the node:http transport.
 */
export async function sendOperation(fetch: LiteFetch, call: OperationCall): Promise<Exchange> {
  const request = new LiteRequest(operationUrl(call), {
    method: call.op.method,
    headers: operationHeaders(call),
    ...(call.body ? { body: call.body.payload } : {}),
  });
  return { request, response: await fetch(request) };
}
