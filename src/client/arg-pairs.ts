import { UsageError } from "../platform/errors.js";

// config-cli's `--endpoint-args "k:v,k2:v2"` and `--url-suffix "name:value"` syntax, with its bugs
// fixed, one rule for every flag: `\,` is a literal comma, `\"` a quote and `\\` a backslash;
// double quotes protect commas and colons (`userDn:"inum=1,ou=people,o=example"`; a value quoted
// whole loses its quotes, one quoted in part, as a filter's `userDn="..."`, keeps them);
// each item splits at its first colon outside quotes; a key may repeat (array items).

export interface ArgPair {
  key: string;
  value: string;
}

/** A quote that is part of the text (written \"), kept apart from quotes that group. */
const LITERAL_QUOTE = "\u0000q";

/**
 * Splits on commas outside double quotes, unescaping \, \" and \\ (any other backslash stays as
 * it is). Grouping quotes stay in the items; escaped ones come back as LITERAL_QUOTE marks.
 */
export function splitEscaped(input: string, flag = "argument"): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    const next = input[i + 1];
    if (ch === "\\" && (next === "," || next === "\\" || next === '"')) {
      cur += next === '"' ? LITERAL_QUOTE : next;
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      cur += ch;
    } else if (ch === "," && !quoted) {
      out.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  if (quoted) throw new UsageError(`${flag}: a double quote is not closed (write \\" for a literal one)`);
  out.push(cur);
  return out;
}

/** A value quoted whole loses its quotes; escaped quotes become plain ones. */
function unquote(value: string): string {
  const whole = /^"([^"]*)"$/.exec(value);
  return (whole ? whole[1]! : value).replaceAll(LITERAL_QUOTE, '"');
}

export function parseArgPairs(input: string, flag: string): ArgPair[] {
  if (input.trim() === "") return [];
  return splitEscaped(input, flag).map((token, i) => {
    const colon = token.indexOf(":");
    if (colon <= 0) {
      const shown = token === "" ? "an empty item" : `"${token}"`;
      throw new UsageError(
        `${flag}: item ${i + 1} is ${shown}; expected name:value (escape commas in values as \\,)`,
      );
    }
    return { key: unquote(token.slice(0, colon).trim()), value: unquote(token.slice(colon + 1)) };
  });
}

/** Inverse of parseArgPairs, for tests and for printing equivalent commands. */
export function formatArgPairs(pairs: ArgPair[]): string {
  const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/,/g, "\\,").replace(/"/g, '\\"');
  return pairs.map((p) => `${esc(p.key)}:${esc(p.value)}`).join(",");
}
