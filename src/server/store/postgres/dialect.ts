import type { StoreDialect } from "../sql/executor.js";

/** LIKE's wildcards and escape character taken literally. */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** PostgreSQL: attributes through the JSON text, the pattern on a trigram (pg_trgm GIN) index. */
export const PG_DIALECT: StoreDialect = {
  attribute(field, params) {
    params.push(field);
    return "(attrs::jsonb ->> ?)";
  },
  bool: (value) => value,
  contains(col, params, value) {
    params.push(String(value));
    return `strpos(${col}::text, ?::text) > 0`;
  },
  startsWith(col, params, value) {
    params.push(String(value));
    return `starts_with(${col}::text, ?::text)`;
  },
  pattern(pattern, params) {
    // search_text is stored lower-cased, so a LIKE on the lowered pattern is ILIKE without its cost.
    params.push(`%${likeEscape(pattern.toLowerCase())}%`);
    return "search_text LIKE ?";
  },
  falseLiteral: "false",
  anyOf(col, values, params) {
    params.push(values);
    return `${col} = ANY(?::text[])`;
  },
  greatest: "greatest",
  jsonMerge: (col) => `(${col}::jsonb || ?::jsonb)::text`,
  jsonSetKey: (col) => `jsonb_set(${col}::jsonb, ARRAY[?::text], to_jsonb(?::text))::text`,
  distinctArray: (col) => `array_agg(DISTINCT ${col})`,
  forUpdate: " FOR UPDATE",
  // Rows another instance is claiming or sweeping right now are skipped, not waited for.
  skipLocked: " FOR UPDATE SKIP LOCKED",
};
