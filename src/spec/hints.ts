import { FILTER_GRAMMARS, type FilterGrammar, type PagingModel } from "./model.js";
import type { Doc } from "./refs.js";

// The `x-opcli-*` hints a document (or an overlay on it) gives about its API, read into the
// neutral model; the client, CLI and TUI know an API only through these.

/** `x-opcli-filter: field-value-pairs` on a parameter: the grammar opcli checks it with. */
export function filterOf(raw: unknown, where: string, warn: (m: string) => void): { filter?: FilterGrammar } {
  if (raw === undefined) return {};
  if (FILTER_GRAMMARS.includes(raw as FilterGrammar)) return { filter: raw as FilterGrammar };
  warn(`${where}: x-opcli-filter must be one of ${FILTER_GRAMMARS.join(", ")}, not ${JSON.stringify(raw)}`);
  return {};
}

const PAGING_KEYS = ["total", "items", "count", "start", "cursorField", "cursorParam"] as const;

/** `x-opcli-paging: {total, items, count, start, cursorField, cursorParam}`: where a page keeps its parts. */
export function pagingOf(raw: unknown): PagingModel | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const out: PagingModel = {};
  for (const k of PAGING_KEYS) {
    const v = (raw as Doc)[k];
    if (typeof v === "string" && v !== "") out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The operation's paging hint over the document's (`x-opcli-paging` at the top applies to all). */
export function operationPaging(docLevel: PagingModel | undefined, op: Doc): { paging?: PagingModel } {
  // `x-opcli-paging: false` opts one operation out of the document's hint.
  if (op["x-opcli-paging"] === false) return {};
  const own = pagingOf(op["x-opcli-paging"]);
  const merged = { ...docLevel, ...own };
  return Object.keys(merged).length ? { paging: merged } : {};
}
