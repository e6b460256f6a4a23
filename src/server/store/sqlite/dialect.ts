import type { StoreDialect } from "../sql/executor.js";

/** Escapes a pattern as one FTS5 phrase, which the trigram tokenizer matches as a substring. */
function ftsPhrase(pattern: string): string {
  return `"${pattern.replace(/"/g, '""')}"`;
}

/** SQLite: attributes through json_extract, booleans as 0/1, the pattern on an FTS5 trigram table. */
export const SQLITE_DIALECT: StoreDialect = {
  attribute(field, params) {
    params.push(`$."${field}"`);
    return "json_extract(attrs, ?)";
  },
  bool: (value) => (value ? 1 : 0),
  contains(col, params, value) {
    params.push(value);
    return `instr(${col}, ?) > 0`;
  },
  startsWith(col, params, value) {
    params.push(value, value);
    return `substr(${col}, 1, length(?)) = ?`;
  },
  pattern(pattern, params) {
    if ([...pattern].length >= 3) {
      params.push(ftsPhrase(pattern));
      return "id IN (SELECT rowid FROM sessions_text WHERE sessions_text MATCH ?)";
    }
    params.push(pattern);
    // Shorter than one trigram: the index cannot help, so scan (rarely useful, still correct).
    return `instr(lower(coalesce(user_dn, '') || ' ' || sid || ' ' ||
        coalesce((SELECT group_concat(value, ' ') FROM json_each(attrs)), '')), lower(?)) > 0`;
  },
  falseLiteral: "0",
  anyOf(col, values, params) {
    params.push(...values);
    return `${col} IN (${values.length > 0 ? values.map(() => "?").join(", ") : "NULL"})`;
  },
  greatest: "max",
  jsonMerge: (col) => `json_patch(${col}, ?)`,
  jsonSetKey: (col) => `json_set(${col}, '$.' || json_quote(?), ?)`,
  distinctArray: (col) => `json_group_array(DISTINCT ${col})`,
  // BEGIN IMMEDIATE already holds the one write lock; no other writer can take the rows.
  forUpdate: "",
  skipLocked: "",
};
