import type { Context, MiddlewareHandler } from "hono";
import type { ErrorRenderer } from "../kit/errors.js";
import { unsafeText } from "./input-guard.js";

// Bodies and credentials as the routes will read them, checked before any route does: a form's
// decoded fields, a JSON document's keys and strings (escapes such as \u0000 included), Basic
// credentials after base64 and form decoding. Headers kept as data are escaped, not refused.

/**
 * The first unsafe name or string in a JSON value, as a path (e.g. "username"), or undefined.
 * Walked with a stack of its own, so that no nesting depth can overflow the call stack.
 */
function unsafeInJson(root: unknown): string | undefined {
  const todo: [unknown, string][] = [[root, ""]];
  for (let next = todo.pop(); next; next = todo.pop()) {
    const [value, path] = next;
    if (typeof value === "string") {
      if (unsafeText(value, true)) return path || "the body";
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    for (const [k, v] of Object.entries(value)) {
      if (unsafeText(k, true)) return `a name in ${path || "the body"}`;
      todo.push([v, Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k]);
    }
  }
  return undefined;
}

function unsafeInForm(text: string): string | undefined {
  for (const [name, value] of new URLSearchParams(text)) {
    if (unsafeText(name, true)) return "a field name";
    if (unsafeText(value, true)) return name;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  // Only an object, array or string can carry text to check; a form (`a=b`) is not tried, so
  // the token endpoint's bodies never pay for a parse that throws.
  if (!/^\s*[[{"]/.test(text)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // the route answers malformed JSON in its own words
  }
}

/**
 * What in the body is unsafe, or undefined: raw characters, then the fields as decoded. A form is
 * also read as JSON when it parses as JSON: a route that reads JSON whatever the type says must
 * not see an escape (\u0000) the form reading let through.
 */
export function unsafeInBody(contentType: string, text: string): string | undefined {
  if (unsafeText(text, true)) return "the body";
  const asJson = unsafeInJson(parseJson(text));
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) return unsafeInForm(text) ?? asJson;
  return asJson;
}

function decodedHalf(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // client-auth refuses it as malformed
  }
}

/** Whether Basic credentials, decoded as client authentication decodes them, are unsafe. */
export function unsafeBasic(authorization: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization);
  if (!m) return false;
  const text = Buffer.from(m[1]!, "base64").toString("utf8");
  return text.split(":").some((half) => unsafeText(decodedHalf(half)));
}

/** Refuses unsafe characters in a request's body or Basic credentials with a 400 naming the field. */
export function bodyGuard(render: ErrorRenderer): MiddlewareHandler {
  const refuse = (c: Context, where: string) =>
    Promise.resolve(render(c, 400, `${where} contains a control character`));
  const withBody: MiddlewareHandler = async (c, next) => {
    // Through hono's body cache: the route reads the same text again (c.req.text/json) for free,
    // and the node adapter reads it straight from the socket, without a WHATWG Request.
    const text = await c.req.text();
    const where = text === "" ? undefined : unsafeInBody(c.req.header("content-type") ?? "", text);
    if (where) return refuse(c, where);
    await next();
  };
  // Not async: a GET that passes goes on to the route without a promise of the guard's own.
  return (c, next) => {
    if (unsafeBasic(c.req.header("authorization") ?? "")) return refuse(c, "the Basic credentials");
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return withBody(c, next);
  };
}

/** Control and bidi characters as visible \u{..} escapes; everything else as it was. */
export function escapeUnsafe(s: string): string {
  let out = "";
  for (const ch of s) out += unsafeText(ch) ? `\\u{${ch.codePointAt(0)!.toString(16)}}` : ch;
  return out;
}

/** User-Agent is stored with sessions as data: kept, but with its controls escaped. */
export function headerEscape(): MiddlewareHandler {
  return (c, next) => {
    const ua = c.req.raw.headers.get("user-agent");
    if (ua !== null && unsafeText(ua)) c.req.raw.headers.set("user-agent", escapeUnsafe(ua));
    return next();
  };
}
