import type * as Crypto from "node:crypto";
import { basename } from "node:path";
import { lazyRequire } from "../platform/lazy-require.js";
import type { EncodingModel } from "../spec/model.js";

// Request bodies by media type: JSON as given, forms and multipart from a JSON object or
// k=v&k2=v2 text serialised per the media type's Encoding Objects, anything else as raw bytes.

export interface BuiltBody {
  contentType: string;
  payload: string | Uint8Array;
}

export class BodyError extends Error {
  override name = "BodyError";
}

export const isJsonType = (t: string) => /[/+]json\b/i.test(t);
export const isFormType = (t: string) => /^application\/x-www-form-urlencoded\b/i.test(t);
export const isMultipartType = (t: string) => /^multipart\/form-data\b/i.test(t);

/** A form's fields from `--data`: a JSON object, or URL-encoded text (a repeated name is an array). */
export function formObject(text: string): Record<string, unknown> {
  const trimmed = text.trim();
  if (/^[[{"\d-]|^(true|false|null)$/.test(trimmed)) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (err) {
      if (trimmed.startsWith("{") || trimmed.startsWith("["))
        throw new BodyError(
          `--data is neither a JSON object nor name=value pairs: ${(err as Error).message}`,
        );
      return pairsObject(trimmed);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new BodyError("--data for a form must be a JSON object or name=value pairs");
    return value as Record<string, unknown>;
  }
  return pairsObject(trimmed);
}

function pairsObject(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

const scalar = (x: unknown) => (typeof x === "object" && x !== null ? JSON.stringify(x) : String(x));

/** deepObject: `name[key]=v`, nested objects as `name[key][sub]=v` (as Stripe and generators do). */
function deepPairs(name: string, value: unknown): [string, string][] {
  if (typeof value !== "object" || value === null) return [[name, scalar(value)]];
  if (Array.isArray(value)) return value.flatMap((x, i) => deepPairs(`${name}[${i}]`, x));
  return Object.entries(value).flatMap(([k, x]) => deepPairs(`${name}[${k}]`, x));
}

/** One form field's pairs, as its Encoding Object's style and explode say (form/explode by default). */
export function fieldPairs(name: string, value: unknown, enc: EncodingModel = {}): [string, string][] {
  const style = enc.style ?? "form";
  const explode = enc.explode ?? style === "form";
  if (Array.isArray(value)) {
    if (style === "spaceDelimited") return [[name, value.map(scalar).join(" ")]];
    if (style === "pipeDelimited") return [[name, value.map(scalar).join("|")]];
    if (style === "deepObject") return deepPairs(name, value);
    return explode ? value.map((x) => [name, scalar(x)]) : [[name, value.map(scalar).join(",")]];
  }
  if (typeof value === "object" && value !== null) {
    if (style === "deepObject") return deepPairs(name, value);
    // No Encoding Object for an object: JSON text, as openapi-generator and Swagger UI send it.
    if (enc.style === undefined && enc.explode === undefined) return [[name, JSON.stringify(value)]];
    const entries = Object.entries(value);
    return explode
      ? entries.map(([k, x]): [string, string] => [k, scalar(x)])
      : [[name, entries.map(([k, x]) => `${k},${scalar(x)}`).join(",")]];
  }
  return [[name, String(value)]];
}

function formBody(fields: Record<string, unknown>, encoding: Record<string, EncodingModel>): string {
  const pairs = Object.entries(fields).flatMap(([k, v]) => fieldPairs(k, v, encoding[k]));
  return new URLSearchParams(pairs).toString();
}

interface Part {
  name: string;
  value: string;
  contentType?: string;
}

/** Multipart parts: an array is one part per item; an object is JSON with its content type. */
function partsOf(name: string, value: unknown, enc: EncodingModel = {}): Part[] {
  if (Array.isArray(value) && !enc.contentType?.includes("json"))
    return value.flatMap((x) => partsOf(name, x, enc));
  if (typeof value === "object" && value !== null)
    return [{ name, value: JSON.stringify(value), contentType: enc.contentType ?? "application/json" }];
  return [{ name, value: String(value), ...(enc.contentType ? { contentType: enc.contentType } : {}) }];
}

function multipart(
  fields: Record<string, unknown>,
  encoding: Record<string, EncodingModel>,
  readBytes: (path: string) => Uint8Array,
): BuiltBody {
  const boundary = `----opcli${(lazyRequire("node:crypto") as typeof Crypto).randomBytes(12).toString("hex")}`;
  const parts: Buffer[] = [];
  const quote = (s: string) => s.replace(/["\r\n]/g, (c) => encodeURIComponent(c));
  for (const part of Object.entries(fields).flatMap(([k, v]) => partsOf(k, v, encoding[k]))) {
    parts.push(Buffer.from(`--${boundary}\r\n`));
    // The Encoding Object's contentType may list several types; the first is sent.
    const type = part.contentType?.split(",")[0]?.trim();
    if (part.value.startsWith("@")) {
      const path = part.value.slice(1);
      parts.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${quote(part.name)}"; filename="${quote(basename(path))}"\r\nContent-Type: ${type ?? "application/octet-stream"}\r\n\r\n`,
        ),
        Buffer.from(readBytes(path)),
        Buffer.from("\r\n"),
      );
    } else {
      const header = type ? `\r\nContent-Type: ${type}` : "";
      parts.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${quote(part.name)}"${header}\r\n\r\n${part.value}\r\n`,
        ),
      );
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, payload: Buffer.concat(parts) };
}

/** Serialises --data for the chosen media type. `raw` is the text given, `bytes` the file's bytes when @file. */
export function buildBody(
  contentType: string,
  raw: { text: string; bytes?: Uint8Array },
  readBytes: (path: string) => Uint8Array,
  opts: { fields?: Record<string, unknown>; encoding?: Record<string, EncodingModel> } = {},
): BuiltBody {
  if (isJsonType(contentType)) {
    try {
      JSON.parse(raw.text);
    } catch (err) {
      throw new BodyError(`--data is not valid JSON: ${(err as Error).message}`);
    }
    return { contentType, payload: raw.text };
  }
  const fields = () => opts.fields ?? formObject(raw.text);
  if (isFormType(contentType)) return { contentType, payload: formBody(fields(), opts.encoding ?? {}) };
  if (isMultipartType(contentType)) return multipart(fields(), opts.encoding ?? {}, readBytes);
  return { contentType, payload: raw.bytes ?? raw.text };
}
