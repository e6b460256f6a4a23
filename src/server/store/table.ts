// A record's table written once: each field's column and how it is stored, from which its row
// mapping, its INSERT and its UPDATE's SET list follow, the same for every SQL backend. JSON in
// text columns, times as integer milliseconds, flags written as 0/1 and read back from 0/1
// (SQLite) or booleans (PostgreSQL).

import type { Row } from "./sql/executor.js";

/** How one field is stored: its column, how a row's value reads back, how the field is written. */
export interface Col<T> {
  readonly column: string;
  read(v: unknown): T;
  write(v: T): unknown;
}

const col =
  <T>(read: (v: unknown) => T, write: (v: T) => unknown = (v) => v) =>
  (column: string): Col<T> => ({ column, read, write });

/** A flag column as read back. */
export const flag = (v: unknown): boolean => v === true || Number(v) === 1;
const optional =
  <T>(read: (v: unknown) => T) =>
  (v: unknown) =>
    v === null || v === undefined ? null : read(v);

/** Text, typed as one of its values where the column holds a closed set. */
export const str = <T extends string = string>(column: string): Col<T> => col((v) => String(v) as T)(column);
export const num = col(Number);
/** Nullable text as read back. */
export const readText = optional(String);
export const optStr = col(readText);
export const optNum = col(optional(Number));
export const bool = col(flag, (v: boolean) => (v ? 1 : 0));
/** A space-separated list (scopes, roles). */
export const words = col(
  (v) =>
    String(v ?? "")
      .split(" ")
      .filter(Boolean),
  (v: string[]) => v.join(" "),
);
/** JSON text; `empty` is what a missing value reads as. */
export const json = <T>(column: string, empty = "{}"): Col<T> =>
  col(
    (v) => JSON.parse(String(v ?? empty)) as T,
    (v: T) => JSON.stringify(v),
  )(column);

export type Columns<R> = { readonly [K in keyof R]-?: Col<R[K]> };

export interface Table<R, G extends keyof R = never> {
  readonly name: string;
  fromRow(r: Row): R;
  /** Its INSERT with `?` placeholders (`generated` fields left to the database), and the values. */
  insert(rec: Omit<R, G>): { sql: string; values: unknown[] };
  /** `col = ?, ...` and the values, for the fields of `allowed` that `changes` sets (others ignored). */
  sets(changes: Partial<R>, allowed: readonly (keyof R)[]): { sql: string; values: unknown[] };
}

export function table<R, G extends keyof R = never>(
  name: string,
  columns: Columns<R>,
  generated: readonly G[] = [],
): Table<R, G> {
  const all = Object.entries(columns) as [keyof R, Col<unknown>][];
  const written = all.filter(([k]) => !(generated as readonly (keyof R)[]).includes(k));
  const insertSql = `INSERT INTO ${name} (${written.map(([, c]) => c.column).join(", ")}) VALUES (${written.map(() => "?").join(", ")})`;
  return {
    name,
    fromRow(r) {
      const out = {} as Record<keyof R, unknown>;
      for (const [k, c] of all) out[k] = c.read(r[c.column]);
      return out as R;
    },
    insert(rec) {
      const values = written.map(([k, c]) => c.write((rec as R)[k]));
      return { sql: insertSql, values };
    },
    sets(changes, allowed) {
      const set = all.filter(
        ([k]) => allowed.includes(k) && Object.hasOwn(changes, k) && changes[k] !== undefined,
      );
      return {
        sql: set.map(([, c]) => `${c.column} = ?`).join(", "),
        values: set.map(([k, c]) => c.write(changes[k])),
      };
    },
  };
}
