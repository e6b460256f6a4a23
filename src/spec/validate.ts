import { lazyRequire } from "../shared/lazy-require.js";
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

/** OpenAPI 3.0's `nullable: true` as JSON Schema: the type may also be null. */
function nullableToType(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToType);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== "nullable") out[k] = nullableToType(v);
  const o = node as Record<string, unknown>;
  if (o.nullable === true && typeof o.type === "string") out.type = [o.type, "null"];
  return out;
}

export async function validateBody(
  openapi: string,
  schema: unknown,
  schemas: Record<string, unknown>,
  data: unknown,
): Promise<ValidationProblem[]> {
  const ajv = await makeAjv(openapi);
  const is30 = !openapi.startsWith("3.1");
  const root = {
    allOf: [is30 ? nullableToType(schema) : schema],
    components: { schemas: is30 ? nullableToType(schemas) : schemas },
  };
  let validate: ReturnType<AjvLike["compile"]>;
  try {
    validate = ajv.compile(root);
  } catch {
    // A schema ajv cannot compile (broken refs upstream) is not the user's fault: skip the check.
    return [];
  }
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => ({
    pointer: e.instancePath || "/",
    message: e.message ?? "is invalid",
  }));
}
