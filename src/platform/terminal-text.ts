// Text from a server, made safe to show: characters that drive a terminal (C0, DEL, C1 such as
// the CSI U+009B, bidi controls that reorder what is shown) become visible escapes.

// Built from a string: the class names control characters, which a regex literal would hold raw.
const BIDI = "\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069";
const CONTROLS = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI}]`, "g");
const CONTROLS_BUT_LINES = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${BIDI}]`, "g");
// JSON.stringify escapes C0 already; these it leaves raw.
const JSON_RAW = new RegExp(`[\\u007f-\\u009f${BIDI}]`, "g");

const hex = (c: string, n: number) => c.charCodeAt(0).toString(16).padStart(n, "0");
const visible = (c: string) => (c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);

/** Every control character as `\xNN`/`\uNNNN`; with keepLines, tab and newline stay as they are. */
export function escapeControls(s: string, keepLines = false): string {
  // A carriage return alone can overwrite what a line showed; one ending a line is just CRLF.
  if (keepLines) return s.replace(/\r\n/g, "\n").replace(CONTROLS_BUT_LINES, visible);
  return s.replace(CONTROLS, visible);
}

/** JSON text with DEL, C1 and bidi controls written as \u escapes: the same value, safe to show. */
export function safeJson(text: string): string {
  return text.replace(JSON_RAW, (c) => `\\u${hex(c, 4)}`);
}
