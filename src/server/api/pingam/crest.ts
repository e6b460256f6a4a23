import type { Context, MiddlewareHandler } from "hono";
import { crestError } from "../kit/errors.js";
import { answerHeader } from "../request-info.js";

// CREST (ForgeRock Common REST) conventions: API versioning and replies (its error body is the kit's).

/** The versions of the sessions resource we serve (the seed uses 3.1, 4.0 and 5.1). */
export const RESOURCE_VERSIONS = ["3.1", "4.0", "5.1"] as const;
export const PROTOCOL_VERSIONS = ["1.0", "2.0", "2.1"] as const;

type Version = { major: number; minor: number };

function parseVersion(raw: string): Version | undefined {
  const m = /^(\d{1,3})(?:\.(\d{1,3}))?$/.exec(raw.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2] ?? 0) } : undefined;
}

/** CREST's rule: a request for X.Y is served by the newest X.Z with Z >= Y. */
function pick(requested: Version, offered: readonly string[]): string | undefined {
  return offered
    .filter((o) => {
      const v = parseVersion(o)!;
      return v.major === requested.major && v.minor >= requested.minor;
    })
    .at(-1);
}

export type Negotiated = { resource: string; protocol: string } | { error: string };

/** Reads `Accept-API-Version: resource=4.0, protocol=1.0`; either part may be left out. */
export function negotiate(header: string | undefined): Negotiated {
  const chosen: { resource: string; protocol: string } = {
    resource: RESOURCE_VERSIONS.at(-1)!,
    protocol: PROTOCOL_VERSIONS.at(-1)!,
  };
  if (header === undefined || header.trim() === "") return chosen;
  for (const part of header.split(",")) {
    const [key, value = ""] = part.split("=").map((s) => s.trim());
    if (key !== "resource" && key !== "protocol")
      return { error: `Accept-API-Version: unknown part "${part.trim()}" (resource=X.Y, protocol=X.Y)` };
    const v = parseVersion(value);
    if (!v) return { error: `Accept-API-Version: ${key} version "${value}" is not X.Y` };
    const offered = key === "resource" ? RESOURCE_VERSIONS : PROTOCOL_VERSIONS;
    const match = pick(v, offered);
    if (!match) return { error: `Unsupported ${key} version: ${value} (supported: ${offered.join(", ")})` };
    chosen[key] = match;
  }
  return chosen;
}

/** Refuses versions we do not serve (400, CREST shape) and names the one chosen in the answer. */
export function apiVersion(): MiddlewareHandler {
  return async (c, next) => {
    const v = negotiate(c.req.header("accept-api-version"));
    if ("error" in v) return crestError(c, 400, v.error);
    answerHeader(c, "Content-API-Version", `protocol=${v.protocol},resource=${v.resource}`);
    await next();
  };
}

/** Answers in JSON, indented when the caller asked with `_prettyPrint=true`. */
export function reply(c: Context, body: unknown): Response {
  if (c.req.query("_prettyPrint") !== "true") return c.json(body);
  c.header("Content-Type", "application/json; charset=UTF-8");
  return c.body(JSON.stringify(body, null, 2));
}
