import { lazyRequire } from "../../../platform/lazy-require.js";
import type { SqlDatabase, SqlRunResult, SqlStatement } from "./sql-database.js";

// The part of node:sqlite used here (@types/node 20 does not describe it).
interface StatementSync {
  run(...params: unknown[]): SqlRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  columns(): unknown[];
  setAllowUnknownNamedParameters(allow: boolean): void;
}
interface DatabaseSync {
  readonly isOpen: boolean;
  readonly isTransaction: boolean;
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
}
export interface NodeSqlite {
  DatabaseSync: new (path: string) => DatabaseSync;
}

/**
 * node:sqlite, when this Node has every method the store needs (columns, isTransaction and
 * unknown named parameters arrived in 22.16); its ExperimentalWarning is not shown, since the
 * CLI's stderr is for the user's command.
 */
export function loadNodeSqlite(): NodeSqlite | undefined {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (!text.includes("SQLite")) (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    const mod = lazyRequire("node:sqlite") as NodeSqlite;
    const probe = new mod.DatabaseSync(":memory:");
    const st = probe.prepare("SELECT 1");
    const complete =
      typeof st.columns === "function" &&
      typeof st.setAllowUnknownNamedParameters === "function" &&
      typeof probe.isTransaction === "boolean";
    probe.close();
    return complete ? mod : undefined;
  } catch {
    return undefined;
  } finally {
    process.emitWarning = emit;
  }
}

/** better-sqlite3 takes a named-parameter object anywhere among the arguments; node:sqlite first. */
function namedFirst(params: unknown[]): unknown[] {
  const i = params.findIndex((p) => p !== null && typeof p === "object" && !ArrayBuffer.isView(p));
  return i <= 0 ? params : [params[i], ...params.slice(0, i), ...params.slice(i + 1)];
}

class NodeStatement implements SqlStatement {
  readonly reader: boolean;
  private plucked = false;
  constructor(private readonly st: StatementSync) {
    this.reader = st.columns().length > 0;
    // As better-sqlite3: an object may carry more keys than the statement names.
    st.setAllowUnknownNamedParameters(true);
  }
  run(...params: unknown[]): SqlRunResult {
    const r = this.st.run(...namedFirst(params));
    return { changes: Number(r.changes), lastInsertRowid: r.lastInsertRowid };
  }
  get(...params: unknown[]): unknown {
    const row = this.st.get(...namedFirst(params));
    return this.plucked && row ? Object.values(row as object)[0] : row;
  }
  all(...params: unknown[]): unknown[] {
    const rows = this.st.all(...namedFirst(params));
    return this.plucked ? rows.map((r) => Object.values(r as object)[0]) : rows;
  }
  pluck(): SqlStatement {
    this.plucked = true;
    return this;
  }
}

class NodeDatabase implements SqlDatabase {
  constructor(private readonly db: DatabaseSync) {}
  get open(): boolean {
    return this.db.isOpen;
  }
  prepare(sql: string): SqlStatement {
    return new NodeStatement(this.db.prepare(sql));
  }
  exec(sql: string): void {
    this.db.exec(sql);
  }
  close(): void {
    this.db.close();
  }
}

export function openNodeSqlite(mod: NodeSqlite, path: string): SqlDatabase {
  const db = new mod.DatabaseSync(path);
  // better-sqlite3 opens with a 5 s busy timeout; node:sqlite with none, and the store's first
  // statements (auto_vacuum, WAL) may meet another process's lock.
  db.exec("PRAGMA busy_timeout = 5000");
  return new NodeDatabase(db);
}
