import { lazyRequire } from "../platform/lazy-require.js";
// --data checked against the operation's body schema before sending (ajv, draft by spec version).

export interface ValidationProblem {
  pointer: string;
  message: string;
}

type AjvLike = {
  compile(
    schema: object,
  ): ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
};

async function makeAjv(openapi: string): Promise<AjvLike> {
  // 3.1 schemas are JSON Schema 2020-12; 3.0 schemas are draft-04-like with nullable.
  const mod = lazyRequire(openapi.startsWith("3.1") ? "ajv/dist/2020.js" : "ajv") as object;
  const Ctor = ((mod as { default?: unknown }).default ?? mod) as new (
    opts: object,
  ) => AjvLike & {
    addKeyword(k: string): void;
  };
  const ajv = new Ctor({ strict: false, allErrors: true, validateFormats: false });
  for (const k of [
    "example",
    "xml",
    "externalDocs",
    "discriminator",
    "x-",
    "deprecated",
    "readOnly",
    "writeOnly",
  ]) {
    try {
      ajv.addKeyword(k);
    } catch {
      // already known to this draft
    }
  }
  return ajv;
}

// Keywords whose values are maps of names to schemas: their keys are names, not keywords.
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
// Annotations whose values are data, not schemas: an `$id` inside an example is not a schema's id.
const DATA_VALUES = new Set(["example", "examples", "default", "enum", "const"]);

/**
 * OpenAPI schemas as plain JSON Schema: 3.0's `nullable: true` lets the type be null; a oneOf
 * with a discriminator is an anyOf, since the discriminator (which ajv cannot read with a
 * mapping) picks the variant and overlapping variants would otherwise all "match"; examples and
 * `x-` extensions go (they are data, and ajv would read an `$id` in them as a schema's).
 */
function toJsonSchema(node: unknown, is30: boolean, names = false): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, is30));
  if (typeof node !== "object" || node === null) return node;
  const o = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (!names && (k === "example" || k === "examples" || k.startsWith("x-"))) continue;
    if (!names && DATA_VALUES.has(k)) {
      out[k] = v;
      continue;
    }
    if (k === "nullable" && is30 && !names) continue;
    out[!names && k === "oneOf" && o.discriminator ? "anyOf" : k] = toJsonSchema(
      v,
      is30,
      !names && SCHEMA_MAPS.has(k),
    );
  }
  if (is30 && o.nullable === true && typeof o.type === "string") out.type = [o.type, "null"];
  return out;
}

const reported = new Set<string>();

/**
 * The problems of `data` against the schema. A schema ajv cannot compile is not the user's fault:
 * it is reported once per process through `warn` (naming --no-validate) and the body goes unchecked.
 */
export async function validateBody(
  openapi: string,
  schema: unknown,
  schemas: Record<string, unknown>,
  data: unknown,
  warn: (line: string) => void = () => {},
): Promise<ValidationProblem[]> {
  const ajv = await makeAjv(openapi);
  const is30 = !openapi.startsWith("3.1");
  const root = {
    allOf: [toJsonSchema(schema, is30)],
    components: { schemas: toJsonSchema(schemas, is30, true) },
  };
  let validate: ReturnType<AjvLike["compile"]>;
  try {
    validate = ajv.compile(root);
  } catch (err) {
    const line = `warning: the document's body schema cannot be checked (${(err as Error).message.split("\n")[0]}); --data is sent unchecked (--no-validate skips the check quietly)`;
    if (!reported.has(line)) {
      reported.add(line);
      warn(line);
    }
    return [];
  }
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => ({
    pointer: e.instancePath || "/",
    message: e.message ?? "is invalid",
  }));
}
