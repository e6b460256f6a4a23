import { SpecError } from "./errors.js";
import { filterOf, operationPaging, pagingOf } from "./hints.js";
import {
  type ApiModel,
  type BodyModel,
  type EncodingModel,
  MODEL_FORMAT,
  type OperationModel,
  type ParamLocation,
  type ParamModel,
  type ParamSchema,
  type SecurityAlternative,
  type SecuritySchemeModel,
} from "./model.js";
import { commonPrefix, deriveOperationId, disambiguate, splitPathKey } from "./operation-names.js";
import { type Doc, deref, inlineExternal, type RefContext } from "./refs.js";
import { screenOf } from "./screen-hint.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export { SpecError };

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
  else if (s.const !== undefined) out.enum = [s.const];
  if (s.default !== undefined) out.default = s.default;
  if (typeof s.minimum === "number") out.minimum = s.minimum;
  if (typeof s.maximum === "number") out.maximum = s.maximum;
  if (typeof s.pattern === "string") out.pattern = s.pattern;
  if (s.items !== undefined) out.items = paramSchema(ctx, s.items, base);
  // anyOf/oneOf of an object and scalars (`created` or `created[gt]`): every variant's type.
  const variants = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (out.type === undefined && Array.isArray(variants)) {
    const types = [...new Set(variants.flatMap((v) => [paramSchema(ctx, v, base).type ?? []].flat()))];
    if (types.length > 0) out.type = types.length === 1 ? types[0]! : types;
  }
  return out;
}

/** The first scalar example of a parameter: `example`, `examples` (named or listed), its schema's. */
function exampleOf(ctx: RefContext, p: Doc, base: string): { example?: string | number | boolean } {
  const named = (e: unknown) => (e && typeof e === "object" && !Array.isArray(e) ? Object.values(e) : e);
  let schema: Doc = {};
  try {
    schema = (deref(ctx, p.schema ?? {}, base).node ?? {}) as Doc;
  } catch {
    // An unresolvable schema only loses its example.
  }
  const candidates = [p.example, ...[named(p.examples)].flat(), schema.example, ...[schema.examples].flat()];
  for (const c of candidates) {
    const v = c && typeof c === "object" && "value" in (c as Doc) ? (c as Doc).value : c;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return { example: v };
  }
  return {};
}

function toParam(ctx: RefContext, raw: unknown, base: string, warn: (m: string) => void): ParamModel | null {
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
    ...(typeof p["x-opcli-hint"] === "string" ? { hint: p["x-opcli-hint"] } : {}),
    ...exampleOf(ctx, p, b),
    ...filterOf(p["x-opcli-filter"], `parameter ${str(p.name)}`, warn),
  };
}

/**
 * The API keys an operation's security schemes place in a query parameter, header or cookie, as
 * parameters a caller may also give by hand (`--endpoint-args api_key:...`); never required, since
 * `--access-token` fills them too.
 */
function withCredentialParams(
  params: ParamModel[],
  security: SecurityAlternative[],
  schemes: Record<string, SecuritySchemeModel>,
): ParamModel[] {
  const out = [...params];
  for (const { scheme } of security.flat()) {
    const s = schemes[scheme];
    if (s?.type !== "apiKey" || !s.name || !["query", "header", "cookie"].includes(s.in ?? "")) continue;
    const where = s.in as ParamLocation;
    if (out.some((p) => p.in === where && p.name.toLowerCase() === s.name!.toLowerCase())) continue;
    out.push({
      name: s.name,
      in: where,
      required: false,
      description: `API key (security scheme ${scheme}); --access-token fills it`,
      style: where === "header" ? "simple" : "form",
      explode: where !== "header",
      allowReserved: false,
      schema: { type: "string" },
      credential: true,
    });
  }
  return out;
}

/** `x-opcli-affected: {operationId, params}`: how to read what an operation would change. */
function affectedOf(raw: unknown): { affected?: OperationModel["affected"] } {
  const a = raw as Doc | undefined;
  if (!a || typeof a.operationId !== "string") return {};
  const params = Object.fromEntries(
    Object.entries((a.params ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
  );
  return { affected: { operationId: a.operationId, params } };
}

/** Operation-level parameters override path-level ones with the same name and location. */
function mergeParams(
  ctx: RefContext,
  pathLevel: unknown,
  opLevel: unknown,
  base: string,
  warn: (m: string) => void,
): ParamModel[] {
  const byKey = new Map<string, ParamModel>();
  for (const list of [pathLevel, opLevel]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      try {
        const p = toParam(ctx, raw, base, warn);
        if (p) byKey.set(`${p.in}:${p.name}`, p);
      } catch (err) {
        // One broken parameter should not hide the whole document.
        warn(`${(err as Error).message}; parameter skipped`);
      }
    }
  }
  return [...byKey.values()];
}

function preferredMediaType(types: string[]): string | undefined {
  return types.find((t) => /[/+]json\b/.test(t)) ?? types[0];
}

function toEncoding(raw: Doc): EncodingModel {
  const out: EncodingModel = {};
  if (typeof raw.style === "string") out.style = raw.style;
  if (typeof raw.explode === "boolean") out.explode = raw.explode;
  if (typeof raw.allowReserved === "boolean") out.allowReserved = raw.allowReserved;
  if (typeof raw.contentType === "string") out.contentType = raw.contentType;
  return out;
}

/** The Encoding Objects of each form or multipart media type that has any. */
function encodingsOf(content: Record<string, Doc>): BodyModel["encodings"] {
  const out: NonNullable<BodyModel["encodings"]> = {};
  for (const [type, media] of Object.entries(content)) {
    const enc = media?.encoding;
    if (!enc || typeof enc !== "object" || !/form/i.test(type)) continue;
    out[type] = Object.fromEntries(
      Object.entries(enc as Record<string, Doc>).map(([k, v]) => [k, toEncoding(v ?? {})]),
    );
  }
  return Object.keys(out).length ? out : undefined;
}

function toBody(
  ctx: RefContext,
  raw: unknown,
  base: string,
  root: string,
  warn: (m: string) => void,
): BodyModel | undefined {
  if (raw === undefined) return undefined;
  const { node, base: b } = deref(ctx, raw, base);
  const content = ((node as Doc).content ?? {}) as Record<string, Doc>;
  const mediaTypes = Object.keys(content);
  const chosen = preferredMediaType(mediaTypes);
  let schema: unknown = chosen ? (content[chosen]?.schema ?? {}) : {};
  try {
    schema = inlineExternal(ctx, schema, b, root);
  } catch (err) {
    warn(`${(err as Error).message}; body schema kept unresolved`);
  }
  const ref = (schema as Doc | undefined)?.$ref;
  const name = typeof ref === "string" ? /^#\/components\/schemas\/([^/]+)$/.exec(ref)?.[1] : undefined;
  const encodings = encodingsOf(content);
  return {
    required: (node as Doc).required === true,
    mediaTypes,
    ...(encodings ? { encodings } : {}),
    schema,
    ...(name ? { schemaName: decodeURIComponent(name) } : {}),
  };
}

/** The media types every 2xx response (else default) declares, JSON first, in document order. */
function responseTypesOf(ctx: RefContext, raw: unknown, base: string): { responseTypes?: string[] } {
  if (typeof raw !== "object" || raw === null) return {};
  const codes = Object.keys(raw).filter((c) => /^2(\d\d|XX)$/i.test(c));
  const types = new Set<string>();
  for (const code of codes.length ? codes : "default" in raw ? ["default"] : []) {
    try {
      const { node } = deref(ctx, (raw as Doc)[code], base);
      for (const t of Object.keys(((node as Doc)?.content ?? {}) as Doc)) types.add(t);
    } catch {
      // An unresolvable response only loses its media types.
    }
  }
  const json = (t: string) => /[/+]json\b/i.test(t);
  const sorted = [...types].sort((a, b) => Number(json(b)) - Number(json(a)));
  return sorted.length ? { responseTypes: sorted } : {};
}

/** The JSON schema of the first 2xx (or default) response, if there is one. */
function responseSchemaOf(
  ctx: RefContext,
  raw: unknown,
  base: string,
  root: string,
): { responseSchema?: unknown } {
  if (typeof raw !== "object" || raw === null) return {};
  const codes = Object.keys(raw)
    .filter((c) => /^2(\d\d|XX)$/i.test(c))
    .sort();
  const code = codes[0] ?? ("default" in raw ? "default" : undefined);
  if (!code) return {};
  try {
    const { node, base: b } = deref(ctx, (raw as Doc)[code], base);
    const content = ((node as Doc).content ?? {}) as Record<string, Doc>;
    const type = Object.keys(content).find((t) => /[/+]json\b/.test(t));
    const schema = type ? content[type]?.schema : undefined;
    return schema === undefined ? {} : { responseSchema: inlineExternal(ctx, schema, b, root) };
  } catch {
    return {};
  }
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
        ? `Swagger ${str(doc.swagger)} is not supported (only 2.0)`
        : "not an OpenAPI 3.0/3.1 or Swagger 2.0 document",
    );
  }
  const info = (doc.info ?? {}) as Doc;
  const components = (doc.components ?? {}) as Doc;
  const docServers = serverUrls(doc.servers) ?? [];
  const globalSecurity = toSecurity(doc.security) ?? [];
  const schemes = toSchemes(components.securitySchemes);
  const ops: OperationModel[] = [];
  const notes = new Set<string>();
  // Derived names leave out the path prefix all paths share, so they stay short.
  const prefix = commonPrefix(Object.keys((doc.paths ?? {}) as Doc).map((k) => splitPathKey(k).path));
  const warn = (m: string) => notes.add(m);
  const docPaging = pagingOf(doc["x-opcli-paging"]);
  for (const [pathKey, rawItem] of Object.entries((doc.paths ?? {}) as Record<string, unknown>)) {
    const { path, fixed: keyFixed, label } = splitPathKey(pathKey);
    let resolved: { node: unknown; base: string };
    try {
      resolved = deref(ctx, rawItem, root);
    } catch (err) {
      warn(`${(err as Error).message}; path ${pathKey} skipped`);
      continue;
    }
    const { node: itemNode, base } = resolved;
    const item = itemNode as Doc;
    for (const method of METHODS) {
      const op = item[method] as Doc | undefined;
      if (!op || typeof op !== "object") continue;
      const id = str(op.operationId);
      let body: BodyModel | undefined;
      // OpenAPI 3.0: a requestBody on GET or HEAD SHALL be ignored (3.1 allows, but HTTP gives it no meaning).
      const bodyless =
        (method === "get" || method === "head") && !String(doc.openapi ?? "").startsWith("3.1");
      try {
        body = bodyless ? undefined : toBody(ctx, op.requestBody, base, root, warn);
      } catch (err) {
        warn(`${(err as Error).message}; request body of ${method.toUpperCase()} ${path} skipped`);
      }
      const merged = mergeParams(ctx, item.parameters, op.parameters, base, warn);
      // A required query parameter that allows one value is the document's to fill, as a key's `?` query.
      const fixed = [
        ...keyFixed,
        ...merged
          .filter((p) => p.in === "query" && p.required && p.schema.enum?.length === 1)
          .filter((p) => !keyFixed.some((q) => q.name === p.name))
          .map((p) => ({ name: p.name, value: String(p.schema.enum![0]) })),
      ];
      const fixedNames = new Set(fixed.map((q) => q.name));
      const naming = fixed.length ? fixed.map((q) => q.value) : label ? [label] : [];
      ops.push({
        id: id || deriveOperationId(method, [path.slice(prefix.length), ...naming].join("/")),
        derivedId: !id,
        method: method.toUpperCase(),
        path,
        fixedQuery: fixed,
        tags: Array.isArray(op.tags) ? op.tags.map(String) : [],
        summary: str(op.summary),
        description: str(op.description),
        // A parameter the path key fixes is not the caller's to give.
        params: withCredentialParams(
          merged.filter((p) => !(p.in === "query" && fixedNames.has(p.name))),
          toSecurity(op.security) ?? globalSecurity,
          schemes,
        ),
        ...(body ? { body } : {}),
        ...responseSchemaOf(ctx, op.responses, base, root),
        ...responseTypesOf(ctx, op.responses, base),
        security: toSecurity(op.security) ?? globalSecurity,
        servers: serverUrls(op.servers) ?? serverUrls(item.servers) ?? docServers,
        ...affectedOf(op["x-opcli-affected"]),
        ...operationPaging(docPaging, op),
        ...screenOf(op["x-opcli-screen"], `${method.toUpperCase()} ${path}`, warn),
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
    securitySchemes: schemes,
    schemas: (components.schemas ?? {}) as Record<string, unknown>,
    warnings: [...warnings, ...notes],
    ...(typeof doc["x-opcli-issuer-path"] === "string" ? { issuerPath: doc["x-opcli-issuer-path"] } : {}),
  };
}
