import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { ApiErrorRenderer } from "../errors.js";

/** Request bodies above the limit are refused with 413 before they are read in full. */
export function requestBodyLimit(maxBytes: number, render: ApiErrorRenderer): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => render(c, 413, `request body above ${maxBytes} bytes`),
  });
}

/** While the server drains (after SIGTERM), every response asks the client to close its connection. */
export function drainAware(isDraining: () => boolean): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (isDraining()) c.res.headers.set("Connection", "close");
  };
}
