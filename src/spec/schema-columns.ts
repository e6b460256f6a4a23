// Default table/CSV columns from a response schema: the scalar properties of its items.

type Schema = Record<string, unknown>;
const ITEM_KEYS = ["entries", "items", "data", "results", "records", "values"];
const SCALARS = new Set(["string", "integer", "number", "boolean"]);

function resolve(schemas: Record<string, unknown>, s: unknown, depth = 0): Schema {
  const obj = (s ?? {}) as Schema;
  if (depth < 8 && typeof obj.$ref === "string") {
    const name = /^#\/components\/schemas\/(.+)$/.exec(obj.$ref)?.[1];
    return resolve(schemas, name ? schemas[decodeURIComponent(name)] : {}, depth + 1);
  }
  if (Array.isArray(obj.allOf)) {
    const merged: Schema = { type: "object", properties: {} };
    for (const part of obj.allOf)
      Object.assign(merged.properties as Schema, resolve(schemas, part, depth + 1).properties ?? {});
    return merged;
  }
  return obj;
}

/** The schema of one item: the array's items, or the items of a paged result's list. */
export function itemSchema(schemas: Record<string, unknown>, response: unknown): Schema | undefined {
  const s = resolve(schemas, response);
  if (s.type === "array") return resolve(schemas, s.items);
  const props = (s.properties ?? {}) as Record<string, unknown>;
  for (const k of ITEM_KEYS) {
    const p = props[k] ? resolve(schemas, props[k]) : undefined;
    if (p?.type === "array") return resolve(schemas, p.items);
  }
  return undefined;
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((c) => typeof c === "string") ? (v as string[]) : undefined;

/** Default columns; `wide` (-o wide) adds the document's `x-opcli-wide-columns`, or more scalars. */
export function columnsFromSchema(
  schemas: Record<string, unknown>,
  response: unknown,
  wide = false,
): string[] | undefined {
  const max = wide ? 16 : 8;
  const item = itemSchema(schemas, response) ?? resolve(schemas, response);
  // The document may say which columns a person wants (`x-opcli-columns: ["SID=sid", ...]`).
  const chosen = strings(item["x-opcli-columns"]);
  if (chosen) return wide ? [...chosen, ...(strings(item["x-opcli-wide-columns"]) ?? [])] : chosen;
  const props = Object.entries((item.properties ?? {}) as Record<string, unknown>).filter(([, p]) => {
    const t = resolve(schemas, p).type;
    return Array.isArray(t) ? t.some((x) => SCALARS.has(String(x))) : SCALARS.has(String(t));
  });
  return props.length ? props.slice(0, max).map(([k]) => k) : undefined;
}

/**
 * Column paths the item schema cannot have, and the names it does: a path is known when each
 * segment is a declared property, or lies below an object that declares none (free-form).
 */
export function unknownColumns(
  schemas: Record<string, unknown>,
  response: unknown,
  paths: string[],
): { unknown: string[]; valid: string[] } | undefined {
  const item = itemSchema(schemas, response) ?? resolve(schemas, response);
  const top = (item.properties ?? {}) as Record<string, unknown>;
  if (Object.keys(top).length === 0) return undefined;
  const known = (path: string) => {
    let node: Schema = item;
    for (const seg of path.split(".")) {
      const props = node.properties as Record<string, unknown> | undefined;
      if (!props || Object.keys(props).length === 0) return true;
      if (!Object.hasOwn(props, seg)) return false;
      node = resolve(schemas, props[seg]);
    }
    return true;
  };
  return { unknown: paths.filter((p) => !known(p)), valid: Object.keys(top) };
}
