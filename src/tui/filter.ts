import { withoutControls } from "./input.js";

// The `/` filter line: words are the search pattern; `word=value` (or `<`, `<=`, `>`, `>=`,
// `!=`) narrows it, for the words the screen's hint names (`filters`: `user=alice`,
// `created>2026-01-01`); any other word is part of the pattern.

export interface FilterForm {
  pattern: string;
  /** Filter word to operator and value; the last of a word counts. */
  fields: Map<string, [op: string, value: string]>;
}

const FIELD = /^([a-z][a-z0-9_]*)(<=|>=|!=|<|>|=)(.*)$/;

/** The filter line as a form: the pattern, and the named words' operators and values. */
export function parseFilter(line: string, words: readonly string[]): FilterForm {
  const fields = new Map<string, [string, string]>();
  const pattern: string[] = [];
  for (const word of withoutControls(line).split(/\s+/).filter(Boolean)) {
    const m = FIELD.exec(word);
    if (m && words.includes(m[1]!)) fields.set(m[1]!, [m[2]!, m[3]!]);
    else pattern.push(word);
  }
  return { pattern: pattern.join(" "), fields };
}

/** Client-side filtering (screens whose list operation has no filter): every word in some cell. */
export function matches(cells: readonly string[], line: string): boolean {
  const words = withoutControls(line).toLowerCase().split(/\s+/).filter(Boolean);
  const hay = cells.join("\u0000").toLowerCase();
  return words.every((w) => hay.includes(w.replace(/^\w+=/, "")));
}
