import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface EchoServer {
  url: string;
  requests: Recorded[];
  /** What to answer; by default 200 with the recorded request as JSON. */
  respond: (r: Recorded) => {
    status: number;
    body?: string;
    delayMs?: number;
    headers?: Record<string, string>;
  };
  close(): Promise<void>;
}

/** A plain node:http server on 127.0.0.1 that records each raw request (URL bytes as sent). */
export async function startEcho(): Promise<EchoServer> {
  const echo: EchoServer = {
    url: "",
    requests: [],
    respond: (r) => ({ status: 200, body: JSON.stringify(r) }),
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      const rec = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      echo.requests.push(rec);
      const answer = echo.respond(rec);
      setTimeout(() => {
        res.writeHead(answer.status, { "content-type": "application/json", ...(answer.headers ?? {}) });
        res.end(answer.body ?? "");
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  echo.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  echo.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return echo;
}
