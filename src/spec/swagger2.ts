// Swagger 2.0 to OpenAPI 3.0, just far enough for the operation model: servers, parameters
// (body and formData become request bodies; collectionFormat becomes style/explode), security
// schemes and component names.
import type { Doc } from "./refs.js";

const REF_PREFIXES: [string, string][] = [
  ["#/definitions/", "#/components/schemas/"],
  ["#/parameters/", "#/components/parameters/"],
  ["#/responses/", "#/components/responses/"],
];

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (typeof node !== "object" || node === null) return node;
  const out: Doc = {};
  for (const [k, v] of Object.entries(node as Doc)) {
    if (k === "$ref" && typeof v === "string") {
      const hit = REF_PREFIXES.find(([from]) => v.startsWith(from));
      out[k] = hit ? hit[1] + v.slice(hit[0].length) : v;
    } else {
      out[k] = rewriteRefs(v);
    }
  }
  return out;
}

const COLLECTION: Record<string, { style: string; explode: boolean }> = {
  csv: { style: "form", explode: false },
  ssv: { style: "spaceDelimited", explode: false },
  pipes: { style: "pipeDelimited", explode: false },
  tsv: { style: "form", explode: false },
  multi: { style: "form", explode: true },
};

const SCHEMA_KEYS = [
  "type",
  "format",
  "items",
  "enum",
  "default",
  "minimum",
  "maximum",
  "pattern",
  "maxLength",
  "minLength",
];

/** A non-body Swagger 2 parameter as an OpenAPI 3 one (its schema gathered from its own keys). */
function convertParam(p: Doc): Doc {
  if (typeof p.$ref === "string") return p;
  const schema: Doc = {};
  for (const k of SCHEMA_KEYS) if (p[k] !== undefined) schema[k] = p[k];
  const out: Doc = { name: p.name, in: p.in, required: p.required === true, schema };
  if (p.description) out.description = p.description;
  const fmt = COLLECTION[String(p.collectionFormat ?? "csv")];
  if (p.type === "array" && fmt && p.in === "query") Object.assign(out, fmt);
  return out;
}

function formBody(params: Doc[], consumes: string[]): Doc {
  const properties: Doc = {};
  const required: string[] = [];
  let hasFile = false;
  for (const p of params) {
    const schema: Doc = {};
    for (const k of SCHEMA_KEYS) if (p[k] !== undefined) schema[k] = p[k];
    if (p.type === "file") {
      hasFile = true;
      schema.type = "string";
      schema.format = "binary";
    }
    if (p.description) schema.description = p.description;
    properties[String(p.name)] = schema;
    if (p.required) required.push(String(p.name));
  }
  const type =
    hasFile || consumes.includes("multipart/form-data")
      ? "multipart/form-data"
      : "application/x-www-form-urlencoded";
  return {
    required: required.length > 0,
    content: { [type]: { schema: { type: "object", properties, ...(required.length ? { required } : {}) } } },
  };
}

/** Methods whose request has no body in HTTP's semantics: form parameters there are not a body. */
const BODYLESS = new Set(["get", "head", "options", "trace"]);

function convertOperation(
  op: Doc,
  globalConsumes: string[],
  method = "post",
  globalProduces: string[] = [],
): Doc {
  const consumes = Array.isArray(op.consumes) ? (op.consumes as string[]) : globalConsumes;
  const given = Array.isArray(op.produces) ? (op.produces as string[]) : globalProduces;
  const produces = given.length ? given : ["application/json"];
  const params = Array.isArray(op.parameters) ? (op.parameters as Doc[]) : [];
  const body = params.find((p) => p.in === "body");
  const form = params.filter((p) => p.in === "formData");
  const out: Doc = {
    ...op,
    parameters: params.filter((p) => p.in !== "body" && p.in !== "formData").map(convertParam),
  };
  delete out.consumes;
  delete out.produces;
  if (typeof op.responses === "object" && op.responses !== null) {
    out.responses = Object.fromEntries(
      Object.entries(op.responses as Record<string, Doc>).map(([code, r]) => [
        code,
        r && typeof r === "object" && r.schema !== undefined && !r.$ref
          ? {
              description: r.description ?? "",
              content: Object.fromEntries(produces.map((t) => [t, { schema: r.schema }])),
            }
          : r,
      ]),
    );
  }
  if (BODYLESS.has(method)) return out;
  if (body) {
    const types = consumes.length ? consumes : ["application/json"];
    out.requestBody = {
      required: body.required === true,
      ...(body.description ? { description: body.description } : {}),
      content: Object.fromEntries(types.map((t) => [t, { schema: body.schema ?? {} }])),
    };
  } else if (form.length) {
    out.requestBody = formBody(form, consumes);
  }
  return out;
}

function convertSchemes(defs: Doc): Doc {
  const out: Doc = {};
  for (const [name, d] of Object.entries(defs) as [string, Doc][]) {
    if (d.type === "basic") out[name] = { type: "http", scheme: "basic" };
    else if (d.type === "apiKey") out[name] = { type: "apiKey", in: d.in, name: d.name };
    else if (d.type === "oauth2") {
      const flow =
        {
          application: "clientCredentials",
          accessCode: "authorizationCode",
          password: "password",
          implicit: "implicit",
        }[String(d.flow)] ?? "clientCredentials";
      out[name] = {
        type: "oauth2",
        flows: {
          [flow]: { tokenUrl: d.tokenUrl, authorizationUrl: d.authorizationUrl, scopes: d.scopes ?? {} },
        },
      };
    }
  }
  return out;
}

export function isSwagger2(doc: Doc): boolean {
  return typeof doc.swagger === "string" && doc.swagger.startsWith("2.");
}

export function swagger2ToOpenApi3(input: Doc): Doc {
  const doc = rewriteRefs(input) as Doc;
  const consumes = Array.isArray(doc.consumes) ? (doc.consumes as string[]) : [];
  const produces = Array.isArray(doc.produces) ? (doc.produces as string[]) : [];
  const schemes = Array.isArray(doc.schemes) && doc.schemes.length ? (doc.schemes as string[]) : ["https"];
  const base = typeof doc.basePath === "string" ? doc.basePath : "";
  const servers = doc.host
    ? schemes.map((s) => ({ url: `${s}://${doc.host}${base}` }))
    : base
      ? [{ url: base }]
      : [];
  const paths: Doc = {};
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Doc>)) {
    const converted: Doc = {};
    for (const [k, v] of Object.entries(item)) {
      if (k === "parameters" && Array.isArray(v))
        converted[k] = (v as Doc[]).filter((p) => p.in !== "body" && p.in !== "formData").map(convertParam);
      else if (typeof v === "object" && v !== null && !Array.isArray(v) && k !== "$ref")
        converted[k] = convertOperation(v as Doc, consumes, k, produces);
      else converted[k] = v;
    }
    paths[path] = converted;
  }
  const parameters = Object.fromEntries(
    Object.entries((doc.parameters ?? {}) as Record<string, Doc>)
      .filter(([, p]) => p.in !== "body" && p.in !== "formData")
      .map(([k, p]) => [k, convertParam(p)]),
  );
  return {
    openapi: "3.0.3",
    info: doc.info ?? {},
    servers,
    tags: doc.tags,
    paths,
    security: doc.security,
    components: {
      schemas: doc.definitions ?? {},
      parameters,
      responses: doc.responses ?? {},
      securitySchemes: convertSchemes((doc.securityDefinitions ?? {}) as Doc),
    },
  };
}
