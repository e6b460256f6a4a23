import { parseQueryFilter } from "./crest-filter.js";
import { parseFieldValuePairs } from "./field-value-pair.js";

// The filter languages a document can name on a parameter (`x-opcli-filter`), each a check that
// says the first mistake and where it is, so the CLI can refuse a filter before anything is sent.

export const FILTER_CHECKS: Record<string, (raw: string) => string | undefined> = {
  "field-value-pairs": (raw) => {
    const r = parseFieldValuePairs(raw);
    return r.ok ? undefined : `${r.error.message} (at offset ${r.error.offset} of "${raw}")`;
  },
  "crest-query-filter": (raw) => {
    const r = parseQueryFilter(raw);
    return r.ok ? undefined : `${r.error.message} (at offset ${r.error.position} of ${JSON.stringify(raw)})`;
  },
};
