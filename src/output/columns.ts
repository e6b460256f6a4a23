import { pick } from "./items.js";

// Columns of tables and CSV: `path` (a dot path into each item) or `NAME=path`.

export interface Column {
  header: string;
  path: string;
}

export function parseColumn(spec: string): Column {
  const eq = spec.indexOf("=");
  return eq > 0
    ? { header: spec.slice(0, eq).trim(), path: spec.slice(eq + 1).trim() }
    : { header: spec, path: spec };
}

export function cellOf(item: unknown, c: Column): unknown {
  if (typeof item !== "object" || item === null) return c.path === "value" ? item : undefined;
  return pick(item, c.path);
}

/** Nested scalars as dot paths, for the key/value view of one object. */
export function flatten(value: unknown, prefix = "", out: [string, unknown][] = []): [string, unknown][] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    out.push([prefix || "value", value]);
    return out;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 && prefix) out.push([prefix, {}]);
  for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}
