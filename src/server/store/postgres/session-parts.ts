import { searchText, sessionToRow } from "../rows.js";
import type { SqlExecutor } from "../sql/executor.js";
import { type SessionParts, WRITE_COLUMNS } from "../sql/sessions.js";
import type { SessionRecord } from "../types.js";
import { pgSearch } from "./session-search.js";

/** Each written column's array type, for unnest. */
const ARRAY_TYPE: Readonly<Record<string, string>> = {
  created_at: "int8",
  last_used_at: "int8",
  auth_time: "int8",
  absolute_expires_at: "int8",
  expires_at: "int8",
  permission_granted: "bool",
  secure: "bool",
};
const BOOLS = new Set(["permission_granted", "secure"]);
const COLUMNS = [...WRITE_COLUMNS, "search_text"];
const INSERT_MANY = `INSERT INTO sessions (${COLUMNS.join(", ")}) SELECT * FROM unnest(${COLUMNS.map(
  (c) => `?::${ARRAY_TYPE[c] ?? "text"}[]`,
).join(", ")})`;

const searchTextOf = (s: SessionRecord) => searchText(s.userDn, s.sid, s.attributes);

/** PostgreSQL's own: the lower-cased search text column, filter-first search, bulk import over column arrays. */
export function pgSessionParts(x: SqlExecutor): SessionParts {
  return {
    search: pgSearch(x),
    extra: { columns: ["search_text"], values: (s) => [searchTextOf(s)] },
    async insertMany(recs) {
      const rows = recs.map((s) => {
        const row: Record<string, unknown> = { ...sessionToRow(s), search_text: searchTextOf(s) };
        return COLUMNS.map((c) => (BOOLS.has(c) ? row[c] === 1 : row[c]));
      });
      await x.run(
        INSERT_MANY,
        COLUMNS.map((_, i) => rows.map((row) => row[i])),
      );
    },
  };
}
