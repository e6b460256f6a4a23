import { UsageError } from "../platform/errors.js";

// Janssen's `--endpoint-args "k:v,k2:v2"` and `--url-suffix "name:value"` syntax, with its bugs
// fixed: `\,` is a literal comma and `\\` a backslash; each token splits at its first colon,
// so values may hold colons; a key may repeat (array items).

export interface ArgPair {
  key: string;
  value: string;
}

/** Splits on unescaped commas and unescapes \, and \\ (any other backslash stays as it is). */
export function splitEscaped(input: string): string[] {
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    const next = input[i + 1];
    if (ch === "\\" && (next === "," || next === "\\")) {
      cur += next;
      i++;
    } else if (ch === ",") {
      out.push(cur);
      cur = "";
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}

export function parseArgPairs(input: string, flag: string): ArgPair[] {
  if (input.trim() === "") return [];
  return splitEscaped(input).map((token, i) => {
    const colon = token.indexOf(":");
    if (colon <= 0) {
      const shown = token === "" ? "an empty item" : `"${token}"`;
      throw new UsageError(
        `${flag}: item ${i + 1} is ${shown}; expected name:value (escape commas in values as \\,)`,
      );
    }
    return { key: token.slice(0, colon).trim(), value: token.slice(colon + 1) };
  });
}

/** Inverse of parseArgPairs, for tests and for printing equivalent commands. */
export function formatArgPairs(pairs: ArgPair[]): string {
  const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/,/g, "\\,");
  return pairs.map((p) => `${esc(p.key)}:${esc(p.value)}`).join(",");
}
