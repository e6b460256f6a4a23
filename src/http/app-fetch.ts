import { type LiteFetch, LiteHeaders, type LiteRequest, LiteResponse } from "./lite.js";

/** Anything that answers WHATWG Requests in process (a Hono app): the embedded server, tests. */
export interface InProcessApp {
  fetch(request: Request): Response | Promise<Response>;
}

/** A transport that hands each request straight to an in-process app: no socket, same bytes. */
export function appFetch(app: InProcessApp): LiteFetch {
  return async (req: LiteRequest) => {
    const res = await app.fetch(
      new Request(req.url, {
        method: req.method,
        headers: req.headers.toObject(),
        body: (req.body ?? null) as BodyInit | null,
      }),
    );
    const headers = new LiteHeaders();
    res.headers.forEach((v, k) => {
      headers.set(k, v);
    });
    return new LiteResponse(
      Buffer.from(await res.arrayBuffer()),
      res.status,
      res.statusText,
      headers,
      req.url,
    );
  };
}
