// Form and multipart fields against a body schema: URL-encoded text gives strings, so values are
// coerced to the types the schema's properties declare before validation; and names the schema
// does not declare are reported (a closed form: no additionalProperties or patternProperties).

type Schema = Record<string, unknown>;

function resolved(schemas: Record<string, unknown>, s: unknown, depth = 0): Schema {
  const obj = (s ?? {}) as Schema;
  const m = typeof obj.$ref === "string" ? /^#\/components\/schemas\/(.+)$/.exec(obj.$ref) : null;
  if (m && depth < 16) return resolved(schemas, schemas[decodeURIComponent(m[1]!)], depth + 1);
  return obj;
}

/** The properties a body schema declares, its allOf parts included. */
export function formProperties(schemas: Record<string, unknown>, schema: unknown): Map<string, Schema> {
  const out = new Map<string, Schema>();
  const visit = (s: unknown, depth: number) => {
    const r = resolved(schemas, s);
    for (const [k, v] of Object.entries((r.properties ?? {}) as Record<string, unknown>))
      out.set(k, resolved(schemas, v));
    if (Array.isArray(r.allOf) && depth < 16) for (const part of r.allOf) visit(part, depth + 1);
  };
  visit(schema, 0);
  return out;
}

function primaryType(s: Schema): string | undefined {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== "null") : s.type;
  return typeof t === "string" ? t : undefined;
}

function coerceScalar(s: Schema, v: unknown): unknown {
  if (typeof v !== "string") return v;
  const t = primaryType(s);
  if ((t === "integer" || t === "number") && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return Number(v);
  if (t === "boolean" && (v === "true" || v === "false")) return v === "true";
  return v;
}

/** Text fields as the schema's types: numbers, booleans, and arrays for array properties. */
export function coerceFormFields(
  schemas: Record<string, unknown>,
  schema: unknown,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const props = formProperties(schemas, schema);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    // `metadata[key]=v` names a key of an object field (deepObject).
    const deep = /^([^[\]]+)\[([^[\]]+)\]$/.exec(k);
    if (deep && primaryType(props.get(deep[1]!) ?? {}) === "object") {
      const prev = out[deep[1]!];
      out[deep[1]!] = { ...(typeof prev === "object" && prev !== null ? prev : {}), [deep[2]!]: v };
      continue;
    }
    const p = props.get(k);
    if (!p) out[k] = v;
    else if (primaryType(p) === "array") {
      const items = resolved(schemas, p.items);
      out[k] = (Array.isArray(v) ? v : [v]).map((x) => coerceScalar(items, x));
    } else out[k] = coerceScalar(p, v);
  }
  return out;
}

/** Field names a closed form schema does not declare. */
export function unknownFormFields(
  schemas: Record<string, unknown>,
  schema: unknown,
  fields: Record<string, unknown>,
): string[] {
  const r = resolved(schemas, schema);
  if (r.additionalProperties !== undefined && r.additionalProperties !== false) return [];
  if (r.patternProperties !== undefined) return [];
  const props = formProperties(schemas, schema);
  if (props.size === 0) return [];
  return Object.keys(fields).filter((k) => !props.has(k));
}
