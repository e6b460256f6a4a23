// Describing schemas for --schema and making sample bodies for --schema-sample.

type Schema = Record<string, unknown>;

export function schemaByName(schemas: Record<string, unknown>, name: string): Schema | undefined {
  const bare = name.replace(/^#?\/?components\/schemas\//, "");
  return schemas[bare] as Schema | undefined;
}

function resolve(schemas: Record<string, unknown>, s: unknown): { schema: Schema; name?: string } {
  const obj = (s ?? {}) as Schema;
  if (typeof obj.$ref === "string") {
    const m = /^#\/components\/schemas\/(.+)$/.exec(obj.$ref);
    const name = m ? decodeURIComponent(m[1]!) : undefined;
    const target = name ? schemaByName(schemas, name) : undefined;
    return { schema: target ?? {}, ...(name ? { name } : {}) };
  }
  return { schema: obj };
}

function typeLabel(schemas: Record<string, unknown>, s: unknown): string {
  const { schema, name } = resolve(schemas, s);
  if (name) return name;
  for (const k of ["oneOf", "anyOf", "allOf"] as const) {
    if (Array.isArray(schema[k]))
      return `${k}(${(schema[k] as unknown[]).map((x) => typeLabel(schemas, x)).join(", ")})`;
  }
  const t = Array.isArray(schema.type)
    ? schema.type.join("|")
    : String(schema.type ?? (schema.properties ? "object" : "any"));
  if (t === "array") return `array<${typeLabel(schemas, schema.items)}>`;
  const fmt = schema.format ? `(${schema.format})` : "";
  const en = Array.isArray(schema.enum) ? ` one of ${schema.enum.join("|")}` : "";
  return `${t}${fmt}${en}`;
}

function properties(
  schemas: Record<string, unknown>,
  s: Schema,
  seen: Set<string>,
): [string, Schema, boolean][] {
  const out: [string, Schema, boolean][] = [];
  if (Array.isArray(s.allOf)) {
    for (const part of s.allOf) {
      const r = resolve(schemas, part);
      if (r.name && seen.has(r.name)) continue;
      if (r.name) seen.add(r.name);
      out.push(...properties(schemas, r.schema, seen));
    }
  }
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Schema>))
    out.push([k, v, required.has(k)]);
  return out;
}

/** A readable outline: properties with their types and required flags, and variants. */
export function describeSchema(schemas: Record<string, unknown>, s: unknown, title: string): string {
  const { schema } = resolve(schemas, s);
  const lines = [`${title}: ${typeLabel(schemas, s)}`];
  if (schema.description) lines.push(`  ${String(schema.description).split("\n")[0]}`);
  for (const k of ["oneOf", "anyOf"] as const) {
    if (Array.isArray(schema[k])) {
      lines.push(`  ${k}:`);
      (schema[k] as unknown[]).forEach((v, i) => {
        lines.push(`    ${i + 1}. ${typeLabel(schemas, v)}`);
      });
    }
  }
  const props = properties(schemas, schema, new Set());
  if (props.length) {
    const width = Math.max(...props.map(([k]) => k.length));
    lines.push("  Properties:");
    for (const [k, v, req] of props) {
      const desc = v.description ? `  ${String(v.description).split("\n")[0]}` : "";
      lines.push(`    ${k.padEnd(width)}  ${typeLabel(schemas, v)}${req ? " (required)" : ""}${desc}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

type SampleType = "array" | "object" | "string" | "integer" | "number" | "boolean" | undefined;

function typeOfSchema(schema: Schema): SampleType {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== "null") : schema.type;
  if (t) return t as SampleType;
  if (schema.properties || schema.allOf) return "object";
  if (schema.items) return "array";
  return undefined;
}

/** `allOf: [{$ref: SomeEnum}]` (a scalar wrapped to add a description): the part that fixes the value. */
function scalarAllOf(schema: Schema, schemas: Record<string, unknown>): unknown {
  if (schema.properties || schema.type || !Array.isArray(schema.allOf)) return undefined;
  return (schema.allOf as unknown[]).find((part) => {
    const r = resolve(schemas, part).schema;
    const t = Array.isArray(r.type) ? r.type.find((x) => x !== "null") : r.type;
    return Array.isArray(r.enum) || r.const !== undefined || (typeof t === "string" && t !== "object");
  });
}

/** An example is used only when it has the schema's type (published examples are often strings). */
function fits(value: unknown, type: SampleType): boolean {
  switch (type) {
    case undefined:
      return true;
    case "array":
      return Array.isArray(value);
    case "object":
      return false; // objects are built from their properties, so required ones are all there
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    default:
      return typeof value === type;
  }
}

/** The first variant of a oneOf/anyOf; with a discriminator mapping, its first entry and tag value. */
function firstVariant(schema: Schema): { schema: unknown; tag?: [string, string] } | undefined {
  const variants = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (!Array.isArray(variants) || variants.length === 0) return undefined;
  const d = schema.discriminator as { propertyName?: string; mapping?: Record<string, string> } | undefined;
  const first = d?.mapping ? Object.entries(d.mapping)[0] : undefined;
  if (d?.propertyName && first) return { schema: { $ref: first[1] }, tag: [d.propertyName, first[0]] };
  return { schema: variants[0] };
}

/** Strings constrained by a pattern: the first of a few common shapes that matches it. */
const PATTERN_CANDIDATES = [
  "string",
  "1s",
  "1",
  "a",
  "A1",
  "example",
  "2024-01-01",
  "user@example.com",
  "https://example.com",
  "00000000-0000-4000-8000-000000000000",
];

function scalarSample(schema: Schema, type: SampleType): unknown {
  if (type === "integer" || type === "number") return typeof schema.minimum === "number" ? schema.minimum : 0;
  if (type === "boolean") return false;
  const fmt = schema.format;
  if (fmt === "date-time") return "2024-01-01T00:00:00Z";
  if (fmt === "date") return "2024-01-01";
  if (fmt === "email") return "user@example.com";
  if (fmt === "uri" || fmt === "url") return "https://example.com";
  if (fmt === "uuid") return "00000000-0000-4000-8000-000000000000";
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  if (typeof schema.pattern === "string") {
    try {
      const re = new RegExp(schema.pattern, "u");
      const hit = PATTERN_CANDIDATES.find((c) => re.test(c) && c.length >= min);
      if (hit) return hit;
    } catch {
      // an ECMAScript-incompatible pattern: fall through
    }
  }
  return "string".padEnd(min, "x");
}

function objectSample(
  schemas: Record<string, unknown>,
  schema: Schema,
  depth: number,
  seen: Set<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of properties(schemas, schema, new Set())) out[k] = sampleOf(schemas, v, depth + 1, seen);
  // Required names the schema never defines still have to be there.
  const required = [
    schema,
    ...((Array.isArray(schema.allOf) ? schema.allOf : []) as unknown[]).map(
      (p) => resolve(schemas, p).schema,
    ),
  ];
  for (const part of required)
    for (const r of (part.required ?? []) as string[]) if (!(r in out)) out[r] = "string";
  return out;
}

/** Cycles are cut by name; this only bounds pathological inline nesting. */
const MAX_SAMPLE_DEPTH = 64;

/** A sample value: examples and defaults where they fit, else a value of the right type. */
export function sampleOf(
  schemas: Record<string, unknown>,
  s: unknown,
  depth = 0,
  seen = new Set<string>(),
): unknown {
  const { schema, name } = resolve(schemas, s);
  const wrapped = scalarAllOf(schema, schemas);
  if (wrapped !== undefined && depth <= MAX_SAMPLE_DEPTH) return sampleOf(schemas, wrapped, depth + 1, seen);
  const type = typeOfSchema(schema);
  // A cycle (or absurd depth) ends in the smallest value of the right type.
  if (depth > MAX_SAMPLE_DEPTH || (name && seen.has(name)))
    return type === "array" ? [] : type === "object" || !type ? {} : scalarSample(schema, type);
  const next = name ? new Set([...seen, name]) : seen;
  const given = [
    schema.const,
    schema.example,
    ...(Array.isArray(schema.examples) ? schema.examples : []),
    schema.default,
  ];
  for (const v of given) if (v !== undefined && fits(v, type)) return v;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const variant = firstVariant(schema);
  if (variant) {
    const value = sampleOf(schemas, variant.schema, depth + 1, next);
    // The discriminator property names the variant that was sampled.
    if (variant.tag && typeof value === "object" && value !== null)
      (value as Record<string, unknown>)[variant.tag[0]] = variant.tag[1];
    return value;
  }
  if (type === "array") return [sampleOf(schemas, schema.items, depth + 1, next)];
  if (type === "object") return objectSample(schemas, schema, depth, next);
  return type ? scalarSample(schema, type) : {};
}
