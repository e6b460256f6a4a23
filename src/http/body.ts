import { randomBytes } from "node:crypto";
import { basename } from "node:path";

// Request bodies by media type: JSON as given, forms from a JSON object or k=v&k2=v2 text,
// multipart with @path values as file parts, anything else as raw bytes.

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

/** Form fields from `--data`: a JSON object, or URL-encoded text. Arrays repeat the field. */
export function formFields(text: string): [string, string][] {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return [...new URLSearchParams(trimmed)];
  let obj: unknown;
  try {
    obj = JSON.parse(trimmed);
  } catch (err) {
    throw new BodyError(`--data is neither a JSON object nor name=value pairs: ${(err as Error).message}`);
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj))
    throw new BodyError("--data for a form must be a JSON object");
  return Object.entries(obj).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((x): [string, string] => [
      k,
      typeof x === "object" && x !== null ? JSON.stringify(x) : String(x),
    ]),
  );
}

function multipart(fields: [string, string][], readBytes: (path: string) => Uint8Array): BuiltBody {
  const boundary = `----opcli${randomBytes(12).toString("hex")}`;
  const parts: Buffer[] = [];
  const quote = (s: string) => s.replace(/["\r\n]/g, (c) => encodeURIComponent(c));
  for (const [name, value] of fields) {
    parts.push(Buffer.from(`--${boundary}\r\n`));
    if (value.startsWith("@")) {
      const path = value.slice(1);
      parts.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${quote(name)}"; filename="${quote(basename(path))}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        Buffer.from(readBytes(path)),
        Buffer.from("\r\n"),
      );
    } else {
      parts.push(Buffer.from(`Content-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`));
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
): BuiltBody {
  if (isJsonType(contentType)) {
    try {
      JSON.parse(raw.text);
    } catch (err) {
      throw new BodyError(`--data is not valid JSON: ${(err as Error).message}`);
    }
    return { contentType, payload: raw.text };
  }
  if (isFormType(contentType))
    return { contentType, payload: new URLSearchParams(formFields(raw.text)).toString() };
  if (isMultipartType(contentType)) return multipart(formFields(raw.text), readBytes);
  return { contentType, payload: raw.bytes ?? raw.text };
}
