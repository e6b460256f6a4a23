import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ErrorRenderer } from "../kit/errors.js";

/** Request bodies above the limit are refused with 413 before they are read in full. */
export function requestBodyLimit(maxBytes: number, render: ErrorRenderer): MiddlewareHandler {
  const tooLarge = (c: Context) => render(c, 413, `request body above ${maxBytes} bytes`);
  const streamed = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  // Checked before hono's bodyLimit, which asks for the body: the node adapter then builds a WHATWG
  // Request (and an AbortSignal) for every request, GETs included. Same answers, without that.
  return (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return next(); // the adapter never passes their body on
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined)
      return Number.parseInt(length, 10) > maxBytes ? Promise.resolve(tooLarge(c)) : next();
    return streamed(c, next);
  };
}

/** While the server drains (after SIGTERM), every response asks the client to close its connection. */
export function drainAware(isDraining: () => boolean): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (isDraining()) c.res.headers.set("Connection", "close");
  };
}
