import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../src/server/store/sqlite/driver.js";
import { SqliteStore } from "../../../src/server/store/sqlite/store.js";
import { openTestPgStore } from "../../helpers/postgres.js";

// The two SQL schemas, read from live migrated databases, must describe the same tables, columns
// (by kind) and indexes (by table and column list). What is dialect-specific by design is listed.

type Kind = "text" | "integer" | "boolean" | "real" | "blob";

interface Schema {
  /** table -> column -> kind */
  columns: Map<string, Map<string, Kind>>;
  /** "table(col, col)" of every index that is not a primary key or a column's UNIQUE constraint's */
  indexes: Set<string>;
}

/** Pattern search: SQLite keeps an FTS5 trigram table; PostgreSQL a lower-cased column with a GIN trigram index. */
const SQLITE_ONLY_TABLES = /^sessions_text(_|$)|^sqlite_/;
const PG_ONLY_COLUMNS = new Set(["sessions.search_text"]);
const PG_ONLY_INDEXES = new Set(["sessions(search_text)"]);

function sqliteKind(declared: string): Kind {
  const t = declared.toUpperCase();
  if (t.includes("INT")) return "integer";
  if (t.includes("REAL") || t.includes("FLOA") || t.includes("DOUB")) return "real";
  if (t.includes("BLOB")) return "blob";
  return "text";
}

function pgKind(dataType: string): Kind {
  if (dataType === "boolean") return "boolean";
  if (/int|serial/.test(dataType)) return "integer";
  if (/double|real|numeric/.test(dataType)) return "real";
  if (dataType === "bytea") return "blob";
  return "text";
}

/** An index's table and column list, from its CREATE INDEX text in either dialect. */
function indexKey(table: string, definition: string): string {
  const afterOn = definition.slice(definition.search(/\sON\s/i) + 4);
  const open = afterOn.indexOf("(");
  let depth = 0;
  let end = open;
  for (let i = open; i < afterOn.length; i++) {
    if (afterOn[i] === "(") depth++;
    if (afterOn[i] === ")" && --depth === 0) {
      end = i;
      break;
    }
  }
  const cols = afterOn
    .slice(open + 1, end)
    .replace(/"/g, "")
    .replace(/\s+gin_trgm_ops/i, "")
    .split(",")
    .map((c) => c.trim().toLowerCase().replace(/\s+/g, ""));
  return `${table}(${cols.join(", ")})`;
}

interface IndexListRow {
  name: string;
  unique: number;
  origin: "c" | "u" | "pk";
}

async function sqliteSchema(): Promise<Schema> {
  const path = join(mkdtempSync(join(tmpdir(), "opcli-parity-")), "s.db");
  await new SqliteStore({ path, searchWorkers: 0 }).close();
  const { db } = openDatabase(path);
  try {
    const columns = new Map<string, Map<string, Kind>>();
    const indexes = new Set<string>();
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string;
    }[];
    for (const { name } of tables) {
      if (SQLITE_ONLY_TABLES.test(name)) continue;
      const info = db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; type: string }[];
      columns.set(name, new Map(info.map((c) => [c.name, sqliteKind(c.type)])));
      const list = db.prepare(`PRAGMA index_list("${name}")`).all() as IndexListRow[];
      for (const i of list) {
        if (i.origin === "pk") continue;
        // A UNIQUE column's autoindex has no SQL text: its columns come from index_info.
        const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(i.name) as {
          sql: string | null;
        };
        const cols = db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[];
        const def = sql.sql ?? `ON ${name} (${cols.map((c) => c.name).join(", ")})`;
        indexes.add(`${i.unique ? "unique " : ""}${indexKey(name, def)}`);
      }
    }
    return { columns, indexes };
  } finally {
    db.close();
  }
}

async function pgSchema(): Promise<Schema> {
  const store = await openTestPgStore();
  try {
    const schema = store.db.schema;
    const cols = await store.db.all(
      "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name <> 'schema_migrations'",
      [schema],
    );
    const columns = new Map<string, Map<string, Kind>>();
    for (const c of cols) {
      const table = String(c.table_name);
      if (!columns.has(table)) columns.set(table, new Map());
      columns.get(table)?.set(String(c.column_name), pgKind(String(c.data_type)));
    }
    // Primary keys left out, as on SQLite (a rowid table's key is no index of its own there).
    const idx = await store.db.all(
      `SELECT i.tablename, i.indexdef, x.indisunique AS uniq FROM pg_indexes i
         JOIN pg_namespace n ON n.nspname = i.schemaname
         JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = n.oid
         JOIN pg_index x ON x.indexrelid = c.oid
       WHERE i.schemaname = ? AND i.tablename <> 'schema_migrations' AND NOT x.indisprimary`,
      [schema],
    );
    const indexes = new Set(
      idx.map((r) => `${r.uniq ? "unique " : ""}${indexKey(String(r.tablename), String(r.indexdef))}`),
    );
    return { columns, indexes };
  } finally {
    await store.close();
  }
}

/** SQLite has no boolean type: a flag is an INTEGER holding 0 or 1. */
const sameKind = (sqlite: Kind, pg: Kind) => sqlite === pg || (sqlite === "integer" && pg === "boolean");

describe("SQLite and PostgreSQL schemas", () => {
  it("index keys read the same from either dialect's CREATE INDEX text", () => {
    expect(indexKey("users", "CREATE INDEX users_username_lower ON users (lower(username))")).toBe(
      indexKey("users", "CREATE INDEX users_username_lower ON s.users USING btree (lower(username))"),
    );
    expect(indexKey("a", "CREATE UNIQUE INDEX x ON a (k, u) WHERE z IS NULL")).toBe("a(k, u)");
  });

  it("have the same tables, columns (by kind) and indexes (by column list)", async () => {
    const [lite, pg] = await Promise.all([sqliteSchema(), pgSchema()]);
    expect([...lite.columns.keys()].sort()).toEqual([...pg.columns.keys()].sort());
    const columnDrift: string[] = [];
    for (const [table, pgCols] of pg.columns) {
      const liteCols = lite.columns.get(table) ?? new Map<string, Kind>();
      for (const [col, kind] of pgCols) {
        if (PG_ONLY_COLUMNS.has(`${table}.${col}`)) continue;
        const other = liteCols.get(col);
        if (other === undefined || !sameKind(other, kind))
          columnDrift.push(`${table}.${col}: sqlite ${other ?? "missing"}, postgresql ${kind}`);
      }
      for (const col of liteCols.keys())
        if (!pgCols.has(col)) columnDrift.push(`${table}.${col}: postgresql missing`);
    }
    const pgIndexes = [...pg.indexes].filter((i) => !PG_ONLY_INDEXES.has(i));
    const indexDrift = [
      ...pgIndexes.filter((i) => !lite.indexes.has(i)).map((i) => `${i}: sqlite missing`),
      ...[...lite.indexes].filter((i) => !pg.indexes.has(i)).map((i) => `${i}: postgresql missing`),
    ];
    expect([...columnDrift, ...indexDrift]).toEqual([]);
  });
});
