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

/** A sample value: examples and defaults where given, else a value of the right type. */
export function sampleOf(
  schemas: Record<string, unknown>,
  s: unknown,
  depth = 0,
  seen = new Set<string>(),
): unknown {
  const { schema, name } = resolve(schemas, s);
  if (depth > 8 || (name && seen.has(name))) return {};
  const next = name ? new Set([...seen, name]) : seen;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  for (const k of ["oneOf", "anyOf"] as const) {
    if (Array.isArray(schema[k]) && schema[k].length)
      return sampleOf(schemas, (schema[k] as unknown[])[0], depth + 1, next);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "array") return [sampleOf(schemas, schema.items, depth + 1, next)];
  if (type === "object" || schema.properties || schema.allOf) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of properties(schemas, schema, new Set()))
      out[k] = sampleOf(schemas, v, depth + 1, next);
    return out;
  }
  if (type === "integer" || type === "number") return typeof schema.minimum === "number" ? schema.minimum : 0;
  if (type === "boolean") return false;
  if (type === "string") {
    const fmt = schema.format;
    if (fmt === "date-time") return "2024-01-01T00:00:00Z";
    if (fmt === "date") return "2024-01-01";
    if (fmt === "email") return "user@example.com";
    if (fmt === "uri" || fmt === "url") return "https://example.com";
    if (fmt === "uuid") return "00000000-0000-4000-8000-000000000000";
    return "string";
  }
  return {};
}
