import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";

/** A SET that passed validation: its jti, sub_id and its one event. */
export interface ReceivedSet {
  jti: string;
  subId: Record<string, unknown>;
  event: string;
  body: Record<string, unknown>;
}

export interface SetValidator {
  issuer: string;
  audience: string;
  jwks: () => Promise<JSONWebKeySet>;
  now: () => number;
}

/**
 * Validates a Security Event Token as RFC 8417 and SSF 1.0 ask: signature by the transmitter's
 * JWKS, typ secevent+jwt, iss, aud, iat, jti, sub_id, exactly one event, and no `sub`/`exp`.
 */
export async function validateSet(token: string, v: SetValidator): Promise<ReceivedSet> {
  const { payload } = await jwtVerify(token, createLocalJWKSet(await v.jwks()), {
    issuer: v.issuer,
    audience: v.audience,
    algorithms: ["EdDSA"],
    typ: "secevent+jwt",
    requiredClaims: ["iat", "jti"],
    currentDate: new Date(v.now()),
  });
  return check(payload);
}

function check(p: JWTPayload): ReceivedSet {
  const events = p.events as Record<string, Record<string, unknown>> | undefined;
  if (typeof events !== "object" || events === null) throw new Error("no events claim");
  const names = Object.keys(events);
  if (names.length !== 1) throw new Error(`${names.length} events in one SET`);
  if (typeof p.sub_id !== "object" || p.sub_id === null) throw new Error("no sub_id");
  if ("sub" in p || "exp" in p) throw new Error("sub or exp in a SET");
  return {
    jti: String(p.jti),
    subId: p.sub_id as Record<string, unknown>,
    event: names[0]!,
    body: events[names[0]!]!,
  };
}

export interface PushReceiver {
  url: string;
  received: ReceivedSet[];
  refused: string[];
  close(): Promise<void>;
}

/** An RFC 8935 push endpoint: application/secevent+jwt in, 202 for a valid SET, 400 otherwise. */
export async function startPushReceiver(v: SetValidator, authorization: string): Promise<PushReceiver> {
  const r: PushReceiver = { url: "", received: [], refused: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", async () => {
      if (req.headers.authorization !== authorization) {
        r.refused.push("authorization");
        return res.writeHead(401).end();
      }
      if (req.headers["content-type"] !== "application/secevent+jwt") {
        r.refused.push("content-type");
        return res.writeHead(400).end();
      }
      try {
        r.received.push(await validateSet(body, v));
        res.writeHead(202).end();
      } catch (err) {
        r.refused.push((err as Error).message);
        res.writeHead(400, { "content-type": "application/json" }).end('{"err":"invalid_request"}');
      }
    });
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  r.close = () =>
    new Promise<void>((res) => {
      server.close(() => res());
      server.closeAllConnections();
    });
  return r;
}
