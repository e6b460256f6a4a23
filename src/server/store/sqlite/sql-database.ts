/** What the SQLite store asks of a driver: the part of better-sqlite3's API it uses. */
export interface SqlRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqlStatement {
  /** True when the statement returns rows. */
  readonly reader: boolean;
  run(...params: unknown[]): SqlRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** From now on, rows are their first column's value (better-sqlite3's persistent toggle). */
  pluck(): SqlStatement;
}

export interface SqlDatabase {
  readonly open: boolean;
  prepare(sql: string): SqlStatement;
  exec(sql: string): void;
  close(): void;
}
