/** The items of a response: an array, or the array inside a paged result (entries and the other usual names). */
export const ITEM_KEYS = ["entries", "items", "data", "results", "result", "records", "values"] as const;

export function itemsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  for (const k of ITEM_KEYS) if (Array.isArray(v[k])) return v[k] as unknown[];
  // Twilio-style pages name the list after the resource: the one array-valued field.
  const arrays = Object.entries(v).filter(([, x]) => Array.isArray(x));
  return arrays.length === 1 ? (arrays[0]![1] as unknown[]) : undefined;
}

/** A dot path into an item (owner.login). */
export function pick(item: unknown, path: string): unknown {
  let node: unknown = item;
  for (const part of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
