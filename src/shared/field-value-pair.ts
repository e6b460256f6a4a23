// The wire grammar of Janssen's `fieldValuePair` search parameter, shared by the CLI (which
// validates before sending) and the server (which turns pairs into filters).
//
//   list  := pair ("," pair)*
//   pair  := key op value
//   key   := [A-Za-z_][A-Za-z0-9_.-]*
//   op    := "!=" | "<=" | ">=" | "=" | "<" | ">"
//   value := raw text up to the next comma, or a double-quoted string in which commas are
//            literal and \" and \\ are escapes (DNs such as "inum=1,ou=people,o=jans").

export const OPERATORS = ["!=", "<=", ">=", "=", "<", ">"] as const;
export type Operator = (typeof OPERATORS)[number];

export interface FieldValuePair {
  key: string;
  op: Operator;
  value: string;
  /** 0-based offset of the pair in the input, for error messages. */
  offset: number;
}

export interface FieldValuePairError {
  kind: "fieldValuePair";
  message: string;
  offset: number;
  pair: string;
}

export type ParseResult = { ok: true; pairs: FieldValuePair[] } | { ok: false; error: FieldValuePairError };

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*/;

/** Splits on commas that are outside double quotes; returns each raw piece with its offset. */
function splitPairs(input: string): { text: string; offset: number }[] | FieldValuePairError {
  const pieces: { text: string; offset: number }[] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (inQuotes && ch === "\\") {
      i++;
    } else if (ch === '"') {
      inQuotes = !inQuotes;
    } else if (ch === "," && !inQuotes) {
      pieces.push({ text: input.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  if (inQuotes) {
    return {
      kind: "fieldValuePair",
      message: "unterminated quoted value",
      offset: start,
      pair: input.slice(start),
    };
  }
  pieces.push({ text: input.slice(start), offset: start });
  return pieces;
}

function unquote(raw: string): string | null {
  if (!raw.startsWith('"')) return raw;
  if (raw.length < 2 || !raw.endsWith('"')) return null;
  let out = "";
  for (let i = 1; i < raw.length - 1; i++) {
    const ch = raw[i];
    if (ch === "\\") {
      i++;
      out += raw[i] ?? "";
    } else if (ch === '"') {
      return null;
    } else {
      out += ch;
    }
  }
  return out;
}

function parsePair(text: string, offset: number): FieldValuePair | FieldValuePairError {
  const fail = (message: string): FieldValuePairError => ({
    kind: "fieldValuePair",
    message,
    offset,
    pair: text,
  });
  const trimmed = text.trim();
  if (trimmed === "") return fail("empty pair");
  const key = KEY.exec(trimmed)?.[0];
  if (!key) return fail(`pair "${trimmed}" does not start with a field name`);
  const rest = trimmed.slice(key.length).trimStart();
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op) {
    return fail(`pair "${trimmed}" has no operator after "${key}" (use one of ${OPERATORS.join(" ")})`);
  }
  const rawValue = rest.slice(op.length).trim();
  if (/^[=<>!]/.test(rawValue)) return fail(`pair "${trimmed}" has a bad operator "${op}${rawValue[0]}"`);
  const value = unquote(rawValue);
  if (value === null) return fail(`pair "${trimmed}" has a badly quoted value`);
  if (value === "") return fail(`pair "${trimmed}" has no value`);
  return { key, op, value, offset };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Parses a fieldValuePair string; the empty string means no filter. Never throws. */
export function parseFieldValuePairs(input: string): ParseResult {
  const control = CONTROL.exec(input);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(2, "0");
    return {
      ok: false,
      error: {
        kind: "fieldValuePair",
        message: `control character \\x${code} in the filter`,
        offset: control.index,
        pair: input,
      },
    };
  }
  if (input.trim() === "") return { ok: true, pairs: [] };
  const pieces = splitPairs(input);
  if (!Array.isArray(pieces)) return { ok: false, error: pieces };
  const pairs: FieldValuePair[] = [];
  for (const piece of pieces) {
    const pair = parsePair(piece.text, piece.offset);
    if ("kind" in pair) return { ok: false, error: pair };
    pairs.push(pair);
  }
  return { ok: true, pairs };
}

/** Renders pairs back to the wire form; values that need it are quoted. */
export function formatFieldValuePairs(
  pairs: readonly Pick<FieldValuePair, "key" | "op" | "value">[],
): string {
  return pairs
    .map(({ key, op, value }) => {
      const needsQuotes = /[,"\\]|^\s|\s$|^[=<>!]/.test(value);
      const v = needsQuotes ? `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"` : value;
      return `${key}${op}${v}`;
    })
    .join(",");
}
