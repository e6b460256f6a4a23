import {
  type ApiModel,
  type BodyModel,
  MODEL_FORMAT,
  type OperationModel,
  type ParamLocation,
  type ParamModel,
  type ParamSchema,
  type SecurityAlternative,
  type SecuritySchemeModel,
} from "./model.js";
import { deriveOperationId, disambiguate } from "./operation-names.js";
import { type Doc, deref, inlineExternal, type RefContext } from "./refs.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export class SpecError extends Error {
  override name = "SpecError";
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function serverUrls(servers: unknown): string[] | undefined {
  if (!Array.isArray(servers) || servers.length === 0) return undefined;
  return servers.map((s: Doc) => {
    let url = str(s.url);
    const vars = (s.variables ?? {}) as Record<string, Doc>;
    for (const [name, v] of Object.entries(vars)) url = url.replaceAll(`{${name}}`, str(v.default));
    return url;
  });
}

function paramSchema(ctx: RefContext, raw: unknown, base: string): ParamSchema {
  const { node } = deref(ctx, raw ?? {}, base);
  const s = (node ?? {}) as Doc;
  const out: ParamSchema = {};
  if (s.type !== undefined) out.type = s.type as string | string[];
  if (typeof s.format === "string") out.format = s.format;
  if (Array.isArray(s.enum)) out.enum = s.enum;
  if (s.default !== undefined) out.default = s.default;
  if (typeof s.minimum === "number") out.minimum = s.minimum;
  if (typeof s.maximum === "number") out.maximum = s.maximum;
  if (s.items !== undefined) out.items = paramSchema(ctx, s.items, base);
  return out;
}

function toParam(ctx: RefContext, raw: unknown, base: string): ParamModel | null {
  const { node, base: b } = deref(ctx, raw, base);
  const p = node as Doc;
  const location = str(p.in) as ParamLocation;
  if (!["path", "query", "header", "cookie"].includes(location)) return null;
  const style = str(p.style) || (location === "query" || location === "cookie" ? "form" : "simple");
  return {
    name: str(p.name),
    in: location,
    required: location === "path" || p.required === true,
    description: str(p.description),
    style,
    explode: typeof p.explode === "boolean" ? p.explode : style === "form",
    allowReserved: p.allowReserved === true,
    schema: paramSchema(ctx, p.schema, b),
  };
}

/** Operation-level parameters override path-level ones with the same name and location. */
function mergeParams(ctx: RefContext, pathLevel: unknown, opLevel: unknown, base: string): ParamModel[] {
  const byKey = new Map<string, ParamModel>();
  for (const list of [pathLevel, opLevel]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const p = toParam(ctx, raw, base);
      if (p) byKey.set(`${p.in}:${p.name}`, p);
    }
  }
  return [...byKey.values()];
}

function preferredMediaType(types: string[]): string | undefined {
  return types.find((t) => /[/+]json\b/.test(t)) ?? types[0];
}

function toBody(ctx: RefContext, raw: unknown, base: string, root: string): BodyModel | undefined {
  if (raw === undefined) return undefined;
  const { node, base: b } = deref(ctx, raw, base);
  const content = ((node as Doc).content ?? {}) as Record<string, Doc>;
  const mediaTypes = Object.keys(content);
  const chosen = preferredMediaType(mediaTypes);
  const schema = chosen ? inlineExternal(ctx, content[chosen]?.schema ?? {}, b, root) : {};
  const ref = (schema as Doc | undefined)?.$ref;
  const name = typeof ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(ref)?.[1] : undefined;
  return {
    required: (node as Doc).required === true,
    mediaTypes,
    schema,
    ...(name ? { schemaName: decodeURIComponent(name) } : {}),
  };
}

function toSecurity(raw: unknown): SecurityAlternative[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.map((alt: Record<string, string[]>) =>
    Object.entries(alt ?? {}).map(([scheme, scopes]) => ({
      scheme,
      scopes: Array.isArray(scopes) ? scopes : [],
    })),
  );
}

function toSchemes(raw: unknown): Record<string, SecuritySchemeModel> {
  const out: Record<string, SecuritySchemeModel> = {};
  for (const [name, s] of Object.entries((raw ?? {}) as Record<string, Doc>)) {
    const flows = (s.flows ?? {}) as Record<string, Doc>;
    const cc = flows.clientCredentials ?? flows.deviceCode;
    out[name] = {
      type: str(s.type),
      ...(s.scheme ? { scheme: str(s.scheme) } : {}),
      ...(s.in ? { in: str(s.in) } : {}),
      ...(s.name ? { name: str(s.name) } : {}),
      ...(cc?.tokenUrl ? { tokenUrl: str(cc.tokenUrl) } : {}),
      ...(Object.keys(flows).length
        ? { scopes: [...new Set(Object.values(flows).flatMap((f) => Object.keys((f?.scopes ?? {}) as Doc)))] }
        : {}),
      ...(s.openIdConnectUrl ? { openIdConnectUrl: str(s.openIdConnectUrl) } : {}),
    };
  }
  return out;
}

/** Builds the operation model from a parsed OpenAPI 3.x document. */
export function buildModel(ctx: RefContext, root: string, source: string): ApiModel {
  const doc = ctx.docs.get(root)!;
  const version = str(doc.openapi);
  if (!/^3\.[01]\./.test(version)) {
    throw new SpecError(
      doc.swagger
        ? `Swagger ${str(doc.swagger)} documents are not supported yet`
        : "not an OpenAPI 3.0/3.1 document",
    );
  }
  const info = (doc.info ?? {}) as Doc;
  const components = (doc.components ?? {}) as Doc;
  const docServers = serverUrls(doc.servers) ?? [];
  const globalSecurity = toSecurity(doc.security) ?? [];
  const ops: OperationModel[] = [];
  for (const [path, rawItem] of Object.entries((doc.paths ?? {}) as Record<string, unknown>)) {
    const { node: itemNode, base } = deref(ctx, rawItem, root);
    const item = itemNode as Doc;
    for (const method of METHODS) {
      const op = item[method] as Doc | undefined;
      if (!op || typeof op !== "object") continue;
      const id = str(op.operationId);
      const body = toBody(ctx, op.requestBody, base, root);
      ops.push({
        id: id || deriveOperationId(method, path),
        derivedId: !id,
        method: method.toUpperCase(),
        path,
        tags: Array.isArray(op.tags) ? op.tags.map(String) : [],
        summary: str(op.summary),
        description: str(op.description),
        params: mergeParams(ctx, item.parameters, op.parameters, base),
        ...(body ? { body } : {}),
        security: toSecurity(op.security) ?? globalSecurity,
        servers: serverUrls(op.servers) ?? serverUrls(item.servers) ?? docServers,
      });
    }
  }
  const { ids, warnings } = disambiguate(ops.map((o) => o.id));
  ops.forEach((o, i) => {
    o.id = ids[i]!;
  });
  const declared = Array.isArray(doc.tags) ? (doc.tags as Doc[]) : [];
  const tagNames = new Set([...declared.map((t) => str(t.name)), ...ops.flatMap((o) => o.tags)]);
  return {
    format: MODEL_FORMAT,
    title: str(info.title),
    version: str(info.version),
    openapi: version,
    source,
    tags: [...tagNames].map((name) => ({
      name,
      description: str(declared.find((t) => t.name === name)?.description),
    })),
    operations: ops,
    securitySchemes: toSchemes(components.securitySchemes),
    schemas: (components.schemas ?? {}) as Record<string, unknown>,
    warnings,
  };
}
