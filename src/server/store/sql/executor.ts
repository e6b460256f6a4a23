import type { SqlDialect } from "../session-sql.js";

// Every statement of the SQL store is written once, with `?` placeholders; an executor turns it
// into its dialect at the edge (PostgreSQL numbers the placeholders) and runs it. SQLite answers
// synchronously (a plain value, no promise), so its hot reads add no await of their own.

export type Row = Record<string, unknown>;
export type Awaitable<T> = T | Promise<T>;

/** What the store's statements (beyond the session search's SqlDialect) write differently per dialect. */
export interface StoreDialect extends SqlDialect {
  /** `col` is one of `values` (SQLite: an IN list; PostgreSQL: one array parameter, one statement shape). */
  anyOf(col: string, values: readonly unknown[], params: unknown[]): string;
  /** The larger of two values: max() in SQLite, greatest() in PostgreSQL. */
  readonly greatest: string;
  /** A JSON text column with a JSON object parameter's keys merged in. */
  jsonMerge(col: string): string;
  /** A JSON text column with the key of one parameter set to the text of the next. */
  jsonSetKey(col: string): string;
  /** The distinct values of a column in a group, as an array (or a JSON array's text). */
  distinctArray(col: string): string;
  /** What a SELECT appends to lock its rows until commit ("" where a transaction holds the write lock). */
  readonly forUpdate: string;
  /** What a SELECT appends to skip rows another transaction holds ("" under SQLite's one writer). */
  readonly skipLocked: string;
}

export interface SqlExecutor {
  readonly dialect: StoreDialect;
  all(sql: string, params?: readonly unknown[]): Awaitable<Row[]>;
  get(sql: string, params?: readonly unknown[]): Awaitable<Row | undefined>;
  /** Rows the write changed. */
  run(sql: string, params?: readonly unknown[]): Awaitable<number>;
  /**
   * fn in one transaction that decides under the write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL:
   * retried on a serialisation failure, so fn may run more than once). Within it, `lock`.
   */
  tx<T>(fn: (x: TxExecutor) => Promise<T>): Promise<T>;
}

export interface TxExecutor extends Omit<SqlExecutor, "tx"> {
  /** Serialises decisions about `key` across instances until commit (PostgreSQL's advisory lock; SQLite's write lock already does). */
  lock(key: string): Awaitable<void>;
}

/** A value, or a promise of it, mapped without a promise where there was none. */
export function mapped<T, U>(v: Awaitable<T>, f: (t: T) => U): Awaitable<U> {
  return v instanceof Promise ? v.then(f) : f(v);
}

/** `?, ?, ?` for n values. */
export const marks = (n: number) => Array.from({ length: n }, () => "?").join(", ");
