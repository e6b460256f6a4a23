import type { ArgValue, BoundArgs } from "../http/args.js";
import { UsageError } from "../platform/errors.js";
import { FILTER_CHECKS } from "../shared/filter-grammars.js";
import type { OperationModel, ParamModel, ParamSchema } from "../spec/model.js";
import type { ArgPair } from "./arg-pairs.js";

export type { ArgValue, BoundArgs };

function typeOf(schema: ParamSchema): string {
  const t = Array.isArray(schema.type) ? schema.type.find((x) => x !== "null") : schema.type;
  return t ?? "string";
}

function describeType(p: ParamModel): string {
  if (p.schema.enum) return `one of ${p.schema.enum.join(", ")}`;
  const t = typeOf(p.schema);
  return t === "array" ? `array of ${typeOf(p.schema.items ?? {})}` : t;
}

function list(params: ParamModel[]): string {
  return params.map((p) => `${p.name} (${p.in}, ${describeType(p)})`).join(", ") || "none";
}

/** Converts one raw value to the schema's scalar type, or says why it cannot. */
/** Whether a value matches the document's pattern; a pattern JavaScript cannot read checks nothing. */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    return true;
  }
}

function coerce(p: ParamModel, schema: ParamSchema, raw: string): string | number | boolean {
  const t = typeOf(schema);
  let value: string | number | boolean = raw;
  if (t === "integer") {
    if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`${p.name} must be an integer, not "${raw}"`);
    value = Number(raw);
  } else if (t === "number") {
    if (raw.trim() === "" || !Number.isFinite(Number(raw)))
      throw new UsageError(`${p.name} must be a number, not "${raw}"`);
    value = Number(raw);
  } else if (t === "boolean") {
    if (raw !== "true" && raw !== "false")
      throw new UsageError(`${p.name} must be true or false, not "${raw}"`);
    value = raw === "true";
  }
  if (typeof value === "string" && schema.pattern !== undefined && !matches(schema.pattern, value))
    throw new UsageError(
      `${p.name} must match ${schema.pattern}, not "${raw}"${p.hint ? ` (${p.hint})` : ""}; nothing was sent`,
    );
  if (schema.enum && !schema.enum.some((e) => String(e) === raw)) {
    throw new UsageError(`${p.name} must be one of ${schema.enum.join(", ")}, not "${raw}"`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      throw new UsageError(`${p.name} must be at least ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      throw new UsageError(`${p.name} must be at most ${schema.maximum}`);
  }
  return value;
}

/** A parameter the document marks as a filter language is checked before sending (a usage error naming its place). */
function checkFilter(p: ParamModel, raw: string): void {
  const mistake = p.filter ? FILTER_CHECKS[p.filter]?.(raw) : undefined;
  if (mistake) throw new UsageError(`${p.name}: ${mistake}`);
}

function typesOf(schema: ParamSchema): string[] {
  return (Array.isArray(schema.type) ? schema.type : [schema.type ?? "string"]).filter((x) => x !== "null");
}

function jsonObject(p: ParamModel, raw: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new UsageError(`${p.name} takes a JSON object, not ${JSON.stringify(raw)}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new UsageError(`${p.name} takes a JSON object, not ${JSON.stringify(raw)}`);
  return v as Record<string, unknown>;
}

/** Line breaks, NUL, or a character beyond Latin-1. */
const badHeaderValue = (raw: string) =>
  [...raw].some((c) => c === "\r" || c === "\n" || c === "\0" || c.codePointAt(0)! > 0xff);

function valueFor(p: ParamModel, raws: string[]): ArgValue {
  const t = typeOf(p.schema);
  if (t === "array") return raws.map((r) => coerce(p, p.schema.items ?? {}, r));
  if (raws.length > 1) throw new UsageError(`${p.name} was given ${raws.length} times but takes one value`);
  const raw = raws[0]!;
  const types = typesOf(p.schema);
  // An object, or (anyOf object|scalar) one written as JSON; else the scalar variant.
  if (types.length === 1 && t === "object") return jsonObject(p, raw);
  if (types.includes("object")) {
    if (/^\s*\{/.test(raw)) return jsonObject(p, raw);
    return coerce(p, { ...p.schema, type: types.find((x) => x !== "object") ?? "string" }, raw);
  }
  // node:http refuses these in a header; say so before anything is sent.
  if ((p.in === "header" || p.in === "cookie") && badHeaderValue(raw))
    throw new UsageError(
      `${p.name}: a ${p.in} value cannot hold line breaks, NUL or characters beyond Latin-1`,
    );
  checkFilter(p, raw);
  return coerce(p, p.schema, raw);
}

/** `created[gt]` for a deepObject query parameter `created` that takes an object: its key. */
function deepObjectKey(op: OperationModel, key: string): { param: ParamModel; key: string } | undefined {
  const m = /^([^[\]]+)\[([^[\]]+)\]$/.exec(key);
  if (!m) return undefined;
  const param = op.params.find((x) => x.in === "query" && x.name === m[1] && x.style === "deepObject");
  return param && typesOf(param.schema).includes("object") ? { param, key: m[2]! } : undefined;
}

/**
 * Binds --endpoint-args (query, header, cookie, or path) and --url-suffix (path) to the
 * operation's parameters, checking names, required ones and types before anything is sent.
 */
export function bindArgs(op: OperationModel, endpointArgs: ArgPair[], urlSuffix: ArgPair[]): BoundArgs {
  const grouped = new Map<ParamModel, string[]>();
  const add = (p: ParamModel, v: string) => grouped.set(p, [...(grouped.get(p) ?? []), v]);
  const pathParams = op.params.filter((p) => p.in === "path");
  for (const { key, value } of urlSuffix) {
    const p = pathParams.find((x) => x.name === key);
    if (!p)
      throw new UsageError(
        `--url-suffix: ${op.id} has no path parameter "${key}"; valid: ${list(pathParams)}`,
      );
    add(p, value);
  }
  const deep = new Map<ParamModel, Record<string, string>>();
  for (const { key, value } of endpointArgs) {
    const p =
      op.params.find((x) => x.name === key && x.in !== "path") ?? pathParams.find((x) => x.name === key);
    const sub = p ? undefined : deepObjectKey(op, key);
    if (sub) {
      deep.set(sub.param, { ...(deep.get(sub.param) ?? {}), [sub.key]: value });
      continue;
    }
    if (!p)
      throw new UsageError(`--endpoint-args: ${op.id} has no parameter "${key}"; valid: ${list(op.params)}`);
    if (p.in === "path" && grouped.has(p)) throw new UsageError(`path parameter "${key}" was given twice`);
    add(p, value);
  }
  for (const [p, obj] of deep) {
    if (grouped.has(p)) throw new UsageError(`${p.name} was given both whole and as ${p.name}[...]`);
    add(p, JSON.stringify(obj));
  }
  const missing = op.params.filter((p) => p.required && !grouped.has(p));
  if (missing.length > 0) {
    const how = (p: ParamModel) =>
      p.in === "path" ? `--url-suffix "${p.name}:VALUE"` : `--endpoint-args "${p.name}:VALUE"`;
    throw new UsageError(`${op.id} needs ${missing.map((p) => `${p.name} (${how(p)})`).join(", ")}`);
  }
  const bound: BoundArgs = { path: {}, query: {}, header: {}, cookie: {} };
  for (const [p, raws] of grouped) bound[p.in][p.name] = valueFor(p, raws);
  return bound;
}
