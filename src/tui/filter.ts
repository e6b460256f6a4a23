import { withoutControls } from "./input.js";
import { EMPTY_FORM, type SearchForm } from "./sessions.js";

// The `/` filter line: words are the search pattern; `user=alice`, `ip=10.0.0.1`,
// `client=web`, `state=authenticated`, `created>2026-01-01`, `expires<=2026-02-01` narrow it.

const FIELD = /^(user|client|ip|state|created|expires)(<=|>=|!=|<|>|=)(.*)$/;

/** The filter line as the search form (fields the line does not name stay empty). */
export function parseFilter(line: string): SearchForm {
  const form: SearchForm = { ...EMPTY_FORM };
  const words: string[] = [];
  for (const word of withoutControls(line).split(/\s+/).filter(Boolean)) {
    const m = FIELD.exec(word);
    if (!m) {
      words.push(word);
      continue;
    }
    const [, key, op, value] = m as unknown as [string, keyof SearchForm, string, string];
    form[key] = key === "created" || key === "expires" ? `${op}${value}` : value;
  }
  form.pattern = words.join(" ");
  return form;
}

/** Client-side filtering (screens whose list operation has no filter): every word in some cell. */
export function matches(cells: readonly string[], line: string): boolean {
  const words = withoutControls(line).toLowerCase().split(/\s+/).filter(Boolean);
  const hay = cells.join("\u0000").toLowerCase();
  return words.every((w) => hay.includes(w.replace(/^\w+=/, "")));
}
