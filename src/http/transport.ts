import type { IncomingMessage } from "node:http";
import { request as httpRequest } from "node:http";
import { lazyRequire } from "../platform/lazy-require.js";
import { type LiteFetch, LiteHeaders, type LiteRequest, LiteResponse } from "./lite.js";
import { NetworkError } from "./network-error.js";

export { NetworkError };

export interface TlsOptions {
  /** PEM CA bundle that replaces the system roots. */
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Skip certificate verification (the caller warns about it). */
  insecure?: boolean;
}

export interface TransportOptions {
  tls?: TlsOptions;
  /** Per-request deadline, milliseconds: connecting, sending and the whole answer. */
  timeoutMs?: number;
  /** Answers larger than this fail before they fill memory. */
  maxResponseBytes?: number;
}

/** The failure for an answer over the limit: never retried, it would only be as large again. */
export function tooLarge(max: number): NetworkError {
  const mb = Math.round((max / 1024 / 1024) * 10) / 10;
  return new NetworkError(
    `the answer is larger than ${mb} MB (--max-response-mb raises the limit)`,
    "ETOOLARGE",
  );
}

function collect(
  res: IncomingMessage,
  req: LiteRequest,
  max: number,
  fail: (err: Error) => void,
): Promise<LiteResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    if (Number(res.headers["content-length"] ?? 0) > max) return fail(tooLarge(max));
    res.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) return fail(tooLarge(max));
      chunks.push(c);
    });
    res.on("error", reject);
    res.on("end", () => {
      const headers = new LiteHeaders();
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
      }
      resolve(
        new LiteResponse(
          Buffer.concat(chunks),
          res.statusCode ?? 0,
          res.statusMessage ?? "",
          headers,
          req.url,
        ),
      );
    });
  });
}

/** fetch over node:http/https (https loaded only when a URL needs it). Redirects are not followed. */
export function nodeTransport(opts: TransportOptions = {}): LiteFetch {
  // Node's global agents keep connections alive (Node >= 19), so a batch reuses its sockets.
  return async (req) => {
    const url = new URL(req.url);
    // The path is sent as built: URL parsing would resolve encoded dot segments (%2E%2E).
    const rawPath = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(req.url)?.[1] || "/";
    const secure = url.protocol === "https:";
    if (!secure && url.protocol !== "http:")
      throw new NetworkError(`unsupported URL scheme ${url.protocol}`, undefined);
    const send = secure ? (lazyRequire("node:https") as typeof import("node:https")).request : httpRequest;
    const headers = req.headers.toObject();
    if (req.body !== undefined) headers["content-length"] = String(Buffer.byteLength(req.body));
    return new Promise<LiteResponse>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      // One failure settles the request: the socket goes, the answer so far is dropped.
      const fail = (err: Error) => {
        clearTimeout(timer);
        r.destroy(err);
        reject(err);
      };
      const max = opts.maxResponseBytes ?? Number.POSITIVE_INFINITY;
      const r = send(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ""),
          port: url.port,
          path: rawPath,
          method: req.method,
          headers,
          ...(secure
            ? {
                ca: opts.tls?.ca,
                cert: opts.tls?.cert,
                key: opts.tls?.key,
                rejectUnauthorized: !opts.tls?.insecure,
              }
            : {}),
        },
        (res) =>
          collect(res, req, max, fail).then(
            (answer) => {
              clearTimeout(timer);
              resolve(answer);
            },
            (err: Error) =>
              fail(err instanceof NetworkError ? err : new NetworkError(networkMessage(err, url), undefined)),
          ),
      );
      // A deadline for the whole exchange: a server that trickles its answer cannot hold us.
      if (opts.timeoutMs)
        timer = setTimeout(
          () => fail(new NetworkError(`timed out after ${opts.timeoutMs} ms`, "ETIMEDOUT")),
          opts.timeoutMs,
        );
      r.on("error", (err: Error & { code?: string }) => {
        clearTimeout(timer);
        reject(err instanceof NetworkError ? err : new NetworkError(networkMessage(err, url), err.code));
      });
      r.end(req.body);
    });
  };
}

/** A person's sentence for the failures OpenSSL and the socket layer describe in their own terms. */
export function networkMessage(err: NodeJS.ErrnoException, url: URL): string {
  const m = err.message;
  if (/wrong version number|packet length too long|http request/i.test(m))
    return `${url.host} did not answer TLS: is it plain HTTP? (try http://${url.host})`;
  if (/self[- ]signed|unable to (get|verify)|certificate/i.test(m) && err.code)
    return `TLS: the certificate of ${url.host} is not trusted (${err.code}); --cacert FILE, or --insecure`;
  if (err.code === "ECONNREFUSED") return `connect ECONNREFUSED ${url.host}: nothing listens there`;
  if (err.code === "ENOTFOUND") return `${url.hostname}: no such host`;
  return m.split("\n")[0]!;
}
