import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";

export const BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";

/** A logout token that passed every validation step. */
export interface Accepted {
  jti: string;
  aud: string;
  sub?: string;
  sid?: string;
}

export interface Receiver {
  /** Base URL; each RP gets `${url}/rp/<name>`. */
  url: string;
  accepted: Accepted[];
  /** Tokens refused, with the step that refused them. */
  refused: string[];
  /** Repeats of a jti already accepted (at-least-once delivery); answered 200, not accepted twice. */
  repeats: number;
  /** While true, every request gets 503. */
  down: boolean;
  /** While true, requests are held unanswered (a delivery in flight); counted in `held`. */
  hold: boolean;
  held: number;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  issuer: string;
  jwks: () => Promise<JSONWebKeySet>;
  /** The RP's clock (the server's manual clock in process). */
  now: () => number;
}

/**
 * A relying party's back-channel logout endpoint that validates each logout token as OpenID
 * Back-Channel Logout 1.0 section 2.6 says: signature by the OP's JWKS, alg, iss, aud, iat, sub
 * or sid, the event, no nonce, and a jti not seen before.
 */
export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  const seen = new Set<string>();
  const r: Receiver = {
    url: "",
    accepted: [],
    refused: [],
    repeats: 0,
    down: false,
    hold: false,
    held: 0,
    close: async () => {},
  };
  const validate = async (token: string, aud: string): Promise<Accepted | string> => {
    let payload: JWTPayload;
    try {
      const verified = await jwtVerify(token, createLocalJWKSet(await opts.jwks()), {
        issuer: opts.issuer,
        audience: aud,
        algorithms: ["EdDSA"],
        typ: "logout+jwt",
        requiredClaims: ["iat", "jti", "exp"],
        currentDate: new Date(opts.now()),
        maxTokenAge: "5 minutes",
      });
      payload = verified.payload;
    } catch (err) {
      return `signature/iss/aud/iat: ${(err as Error).message}`;
    }
    if (typeof payload.sub !== "string" && typeof payload.sid !== "string") return "neither sub nor sid";
    const events = payload.events as Record<string, unknown> | undefined;
    const event = events?.[BACKCHANNEL_EVENT];
    if (typeof event !== "object" || event === null || Array.isArray(event)) return "no back-channel event";
    if ("nonce" in payload) return "has a nonce";
    const jti = String(payload.jti);
    return {
      jti,
      aud,
      ...(typeof payload.sub === "string" ? { sub: payload.sub } : {}),
      ...(typeof payload.sid === "string" ? { sid: payload.sid } : {}),
    };
  };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", async () => {
      const reply = (status: number) => {
        res.writeHead(status, { "cache-control": "no-store" }).end();
      };
      if (r.down) return reply(503);
      if (r.hold) {
        r.held++;
        return;
      }
      const aud = decodeURIComponent(/^\/rp\/([^/?]+)/.exec(req.url ?? "")?.[1] ?? "");
      if (req.headers["content-type"] !== "application/x-www-form-urlencoded" || req.method !== "POST") {
        r.refused.push("not a form POST");
        return reply(400);
      }
      const token = new URLSearchParams(body).get("logout_token") ?? "";
      const result = await validate(token, aud);
      if (typeof result === "string") {
        r.refused.push(result);
        return reply(400);
      }
      if (seen.has(result.jti)) r.repeats++;
      else {
        seen.add(result.jti);
        r.accepted.push(result);
      }
      reply(200);
    });
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.close = () =>
    new Promise<void>((res) => {
      server.close(() => res());
      server.closeAllConnections();
    });
  return r;
}
