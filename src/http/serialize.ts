import type { OperationModel, ParamModel } from "../spec/model.js";
import type { ArgValue } from "./args.js";

// OpenAPI parameter serialisation for query strings and cookies (path parameters are serialised
// by openapi-fetch from the style markers that pathTemplate() adds).

// RFC 3986 reserved characters that allowReserved leaves unencoded.
const RESERVED = /%(3A|2F|3F|23|5B|5D|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi;

/**
 * Percent-encodes all but RFC 3986's unreserved characters (encodeURIComponent leaves `!'()*`,
 * which RFC 6570 simple and form expansion encode); a value of dots alone is encoded too, since
 * URL parsing would resolve "." and ".." in a path.
 */
export function strictEncode(value: string): string {
  if (/^\.+$/.test(value)) return "%2E".repeat(value.length);
  return rfc3986(value);
}

/** encodeURIComponent, and `!'()*` too. */
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function enc(value: unknown, allowReserved = false): string {
  const s = rfc3986(String(value));
  return allowReserved ? s.replace(RESERVED, (m) => decodeURIComponent(m)) : s;
}

function queryPart(p: ParamModel, value: ArgValue): string[] {
  const name = enc(p.name);
  const v = (x: unknown) => enc(x, p.allowReserved);
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    if (p.style === "spaceDelimited") return [`${name}=${value.map(v).join("%20")}`];
    if (p.style === "pipeDelimited") return [`${name}=${value.map(v).join("|")}`];
    return p.explode ? value.map((x) => `${name}=${v(x)}`) : [`${name}=${value.map(v).join(",")}`];
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (p.style === "deepObject") return entries.map(([k, x]) => `${name}%5B${enc(k)}%5D=${v(x)}`);
    if (p.explode) return entries.map(([k, x]) => `${enc(k)}=${v(x)}`);
    return [`${name}=${entries.map(([k, x]) => `${enc(k)},${v(x)}`).join(",")}`];
  }
  return [`${name}=${v(value)}`];
}

/** The query string (without "?") for the bound query arguments, in the operation's order. */
export function serializeQuery(params: ParamModel[], values: Record<string, ArgValue>): string {
  return params
    .filter((p) => p.in === "query" && values[p.name] !== undefined)
    .flatMap((p) => queryPart(p, values[p.name]!))
    .join("&");
}

export function serializeCookies(params: ParamModel[], values: Record<string, ArgValue>): string | undefined {
  const parts = params
    .filter((p) => p.in === "cookie" && values[p.name] !== undefined)
    .map((p) => {
      const v = values[p.name]!;
      const flat = Array.isArray(v)
        ? v.join(",")
        : typeof v === "object"
          ? Object.entries(v).flat().join(",")
          : v;
      return `${p.name}=${enc(flat)}`;
    });
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/** Header values: arrays and objects in the simple style. */
export function serializeHeader(value: ArgValue, explode: boolean): string {
  if (Array.isArray(value)) return value.join(",");
  if (typeof value === "object" && value !== null) {
    return Object.entries(value)
      .map(([k, v]) => (explode ? `${k}=${v}` : `${k},${v}`))
      .join(",");
  }
  return String(value);
}

/** Adds openapi-fetch's style markers ({.name}, {;name*}) to a path template. */
export function pathTemplate(path: string, params: ParamModel[]): string {
  return path.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const p = params.find((x) => x.in === "path" && x.name === name);
    if (!p) return whole;
    const prefix = p.style === "label" ? "." : p.style === "matrix" ? ";" : "";
    return `{${prefix}${name}${p.explode ? "*" : ""}}`;
  });
}

/** The query an operation's path key fixes (`_action=logout`), first in every request's query. */
export function fixedQueryString(op: Pick<OperationModel, "fixedQuery">): string {
  return op.fixedQuery.map((q) => `${enc(q.name)}=${enc(q.value)}`).join("&");
}
