import type { LiteFetch } from "./lite.js";
import { redactBody } from "./redact.js";

/** -v: one line per request on stderr (method, URL, status, time); never headers or bodies. */
export function verboseFetch(
  fetch: LiteFetch,
  write: (s: string) => void,
  now: () => number = Date.now,
): LiteFetch {
  return async (req) => {
    const started = now();
    try {
      const res = await fetch(req);
      write(`${req.method} ${redactBody(req.url)} -> ${res.status} (${now() - started} ms)\n`);
      return res;
    } catch (err) {
      write(`${req.method} ${redactBody(req.url)} -> ${(err as Error).message} (${now() - started} ms)\n`);
      throw err;
    }
  };
}
