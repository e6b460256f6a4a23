import createClient from "openapi-fetch";
import type { BoundArgs } from "../cli/bind-args.js";
import type { OperationModel } from "../spec/model.js";
import { type LiteFetch, LiteRequest, type LiteResponse } from "./lite.js";
import { pathTemplate, serializeCookies, serializeHeader, serializeQuery } from "./serialize.js";

export interface OperationCall {
  op: OperationModel;
  baseUrl: string;
  args: BoundArgs;
  /** Already-serialised body and its media type. */
  body?: { contentType: string; payload: string | Uint8Array };
  /** Extra headers (Authorization ...). */
  headers?: Record<string, string>;
}

export interface Exchange {
  request: LiteRequest;
  response: LiteResponse;
}

/** Builds the request with openapi-fetch from the model and sends it through `fetch`. */
export async function sendOperation(fetch: LiteFetch, call: OperationCall): Promise<Exchange> {
  const { op, args } = call;
  let sent: LiteRequest | undefined;
  const capture: LiteFetch = (req) => {
    sent = req;
    return fetch(req);
  };
  const client = createClient({
    baseUrl: call.baseUrl,
    fetch: capture as unknown as typeof globalThis.fetch,
    Request: LiteRequest as unknown as typeof globalThis.Request,
    querySerializer: (q: Record<string, unknown>) => serializeQuery(op.params, q as BoundArgs["query"]),
    bodySerializer: (b: unknown) => b as string,
  });
  const headers: Record<string, string> = { Accept: "application/json", ...(call.headers ?? {}) };
  for (const p of op.params) {
    const v = args.header[p.name];
    if (p.in === "header" && v !== undefined) headers[p.name] = serializeHeader(v, p.explode);
  }
  const cookie = serializeCookies(op.params, args.cookie);
  if (cookie) headers.Cookie = cookie;
  if (call.body) headers["Content-Type"] = call.body.contentType;
  const { response } = await client.request(
    op.method.toLowerCase() as "get",
    pathTemplate(op.path, op.params) as never,
    {
      params: { path: args.path, query: args.query },
      headers,
      ...(call.body ? { body: call.body.payload } : {}),
      parseAs: "text",
    } as never,
  );
  return { request: sent!, response: response as unknown as LiteResponse };
}
