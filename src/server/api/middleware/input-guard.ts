import type { Context, MiddlewareHandler } from "hono";
import type { ErrorRenderer } from "../kit/errors.js";
import { rawPath } from "../request-info.js";

// Characters no input may carry into a store: C0 controls and DEL, C1 controls (U+0080-U+009F),
// and the bidi controls that make text display other than it is stored (Trojan Source). Lone
// surrogates are caught apart: PostgreSQL cannot store them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// Bodies may carry tab, line feed and carriage return (a multi-line description); nothing else.
const BODY_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

// In a u-mode pattern, a surrogate pair is one code point: \p{Cs} matches only a lone half.
const LONE_SURROGATE = /\p{Cs}/u;

/** A path segment as the router decodes it: each well-formed run of escapes, a stray % left as it is. */
function decoded(segment: string): string {
  return segment.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** Whether s holds a control, bidi control or lone surrogate (line breaks too, unless allowed). */
export function unsafeText(s: string, allowLineBreaks = false): boolean {
  return (allowLineBreaks ? BODY_CONTROL : CONTROL).test(s) || LONE_SURROGATE.test(s);
}

// Parameters that pick an entry from a table by name: a prototype name must never pick one.
const TABLE_KEYS = new Set(["sort", "sortBy", "_sortKeys", "notice"]);
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

function prototypeName(name: string, value: string): boolean {
  return TABLE_KEYS.has(name) && PROTOTYPE_NAMES.has(value.replace(/^[+-]?\/?/, ""));
}

/** A URL's query as URLSearchParams reads it (no URL parse when there is none: most requests). */
export function queryOf(url: string): Iterable<[string, string]> {
  return url.includes("?") ? new URL(url).searchParams : [];
}

/**
 * Refuses control, bidi control characters and lone surrogates in the path and in query parameter
 * names and values, and dot segments hidden by percent-encoding (`%2e%2e`), with a 400 that names
 * the parameter: no parser or store below ever sees one. A sort or notice parameter naming a
 * prototype property (`constructor`, `__proto__`) is refused too.
 */
export function inputGuard(render: ErrorRenderer): MiddlewareHandler {
  // Not async: a request that passes goes on to the route without a promise of the guard's own.
  return (c, next) => {
    const why = inputRefusal(c);
    return why ? Promise.resolve(render(c, 400, why)) : next();
  };
}

const DOT_SEGMENT = /(?:^|\/)\.{1,2}(?:\/|$)/;

/**
 * Why a path as the client sent it is refused, or undefined. The URL parser resolved literal dot
 * segments; encoded ones would otherwise name a sibling. A path without escapes (most) is
 * checked whole: its segments are its text.
 */
export function pathRefusal(raw: string): string | undefined {
  const segments = raw.includes("%") ? raw.split("/").map(decoded) : undefined;
  if (segments ? segments.some((seg) => unsafeText(seg)) : unsafeText(raw))
    return "the path contains a control character";
  if (segments ? segments.some((seg) => seg === "." || seg === "..") : DOT_SEGMENT.test(raw))
    return "the path contains a dot segment";
  return undefined;
}

function inputRefusal(c: Context): string | undefined {
  const path = pathRefusal(rawPath(c));
  if (path) return path;
  for (const [name, value] of queryOf(c.req.url)) {
    if (unsafeText(name)) return "a query parameter name contains a control character";
    if (unsafeText(value)) return `query parameter ${name} contains a control character`;
    if (prototypeName(name, value)) return `query parameter ${name} names no known entry`;
  }
  return undefined;
}

export function hasControl(s: string): boolean {
  return unsafeText(s);
}
