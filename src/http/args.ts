/** An argument value after binding: scalars, arrays (repeated items) or objects (JSON). */
export type ArgValue = string | number | boolean | (string | number | boolean)[] | Record<string, unknown>;

/** Arguments of one operation, by where they go in the request. */
export interface BoundArgs {
  path: Record<string, ArgValue>;
  query: Record<string, ArgValue>;
  header: Record<string, ArgValue>;
  cookie: Record<string, ArgValue>;
}
