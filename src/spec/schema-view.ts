// Describing schemas for --schema and making sample bodies for --schema-sample.

import { lazyRequire } from "../platform/lazy-require.js";

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

/** Samples of the common string formats (byte is base64 of "string"). */
const FORMATS: Record<string, string> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  time: "00:00:00Z",
  email: "user@example.com",
  uri: "https://example.com",
  url: "https://example.com",
  "uri-reference": "https://example.com",
  hostname: "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  uuid: "00000000-0000-4000-8000-000000000000",
  byte: "c3RyaW5n",
  binary: "string",
  password: "string",
};

/** A number within minimum/maximum (exclusive ones too, 3.0 booleans and 3.1 numbers), a multipleOf. */
function numberSample(schema: Schema, type: SampleType): number {
  const step = typeof schema.multipleOf === "number" && schema.multipleOf > 0 ? schema.multipleOf : 1;
  let low = typeof schema.minimum === "number" ? schema.minimum : undefined;
  if (typeof schema.exclusiveMinimum === "number")
    low = schema.exclusiveMinimum + (type === "integer" ? 1 : step);
  else if (schema.exclusiveMinimum === true && low !== undefined) low += type === "integer" ? 1 : step;
  let high = typeof schema.maximum === "number" ? schema.maximum : undefined;
  if (typeof schema.exclusiveMaximum === "number")
    high = schema.exclusiveMaximum - (type === "integer" ? 1 : step);
  else if (schema.exclusiveMaximum === true && high !== undefined) high -= type === "integer" ? 1 : step;
  const start = low ?? (high !== undefined && high < 0 ? high : 0);
  // The first multiple of the step at or above the lower bound.
  const v = Math.ceil(start / step) * step;
  return high !== undefined && v > high ? Math.floor(high / step) * step : v;
}

/** A string matching a pattern: a common shape if one fits, else one built from the pattern. */
function patternSample(pattern: string, min: number, max: number): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern, "u");
  } catch {
    return undefined; // an ECMAScript-incompatible pattern
  }
  const hit = PATTERN_CANDIDATES.find((c) => re.test(c) && c.length >= min && c.length <= max);
  if (hit) return hit;
  type RandExpCtor = new (r: RegExp) => { max: number; randInt(a: number, b: number): number; gen(): string };
  const mod = lazyRequire("randexp") as { default?: RandExpCtor } & RandExpCtor;
  const RandExp = mod.default ?? mod;
  const gen = new RandExp(re);
  // The smallest choice everywhere: the same sample on every run.
  gen.randInt = (a) => a;
  gen.max = Math.max(min, 1);
  for (let i = 0; i < 3; i++) {
    const s = gen.gen();
    if (re.test(s) && s.length >= min && s.length <= max) return s;
    gen.randInt = (a, b) => (i === 0 ? Math.min(b, a + min) : b);
  }
  return undefined;
}

function scalarSample(schema: Schema, type: SampleType): unknown {
  if (type === "integer" || type === "number") return numberSample(schema, type);
  if (type === "boolean") return false;
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Number.POSITIVE_INFINITY;
  if (typeof schema.pattern === "string") {
    const s = patternSample(schema.pattern, min, max);
    if (s !== undefined) return s;
  }
  const fmt = typeof schema.format === "string" ? FORMATS[schema.format] : undefined;
  if (fmt !== undefined && fmt.length >= min && fmt.length <= max) return fmt;
  return "string".padEnd(min, "x").slice(0, max);
}

/** n items (minItems, at least one unless maxItems is 0); distinct ones when uniqueItems asks. */
function arraySample(
  schemas: Record<string, unknown>,
  schema: Schema,
  depth: number,
  seen: Set<string>,
): unknown[] {
  const min = typeof schema.minItems === "number" ? schema.minItems : 1;
  const max = typeof schema.maxItems === "number" ? schema.maxItems : Number.POSITIVE_INFINITY;
  const n = Math.min(Math.max(min, 1), max);
  const first = sampleOf(schemas, schema.items, depth + 1, seen);
  return Array.from({ length: n }, (_, i) => {
    if (i === 0 || !schema.uniqueItems) return first;
    if (typeof first === "number") return first + i;
    if (typeof first === "string") return `${first}${i}`;
    return first;
  });
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
    // An object with its own properties beside the oneOf/anyOf: both parts are in the sample.
    const own =
      type === "object" && (schema.properties || schema.required)
        ? objectSample(schemas, schema, depth, next)
        : undefined;
    const merged =
      own && typeof value === "object" && value !== null && !Array.isArray(value)
        ? { ...own, ...value }
        : value;
    // The discriminator property names the variant that was sampled.
    if (variant.tag && typeof merged === "object" && merged !== null)
      (merged as Record<string, unknown>)[variant.tag[0]] = variant.tag[1];
    return merged;
  }
  if (type === "array") return arraySample(schemas, schema, depth, next);
  if (type === "object") return objectSample(schemas, schema, depth, next);
  return type ? scalarSample(schema, type) : {};
}
