import {
  type ItemPath,
  SCREEN_KINDS,
  SCREEN_LIST_PARAMS,
  type ScreenColumn,
  type ScreenKind,
  type ScreenModel,
} from "./model.js";

// `x-opcli-screen` (README, "Hints in the document"): the TUI screen an operation serves, read
// into the model. A malformed hint is one warning and no screen, never a throw.

type Obj = Record<string, unknown>;
type Read<T> = T | { problem: string };

const ROLES: readonly ScreenModel["role"][] = ["list", "remove", "revoke"];
const KEYS: Record<ScreenModel["role"], readonly string[]> = {
  list: ["name", "role", "noun", "id", "who", "columns", "summary", "params", "order", "filters"],
  remove: ["name", "role", "params"],
  revoke: ["name", "role", "params", "count"],
};
const COLUMN_KEYS = ["header", "field", "kind", "identifier", "letter", "sort"];

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const failed = <T>(r: Read<T>): r is { problem: string } => isObj(r) && typeof r.problem === "string";
const isText = (v: unknown): v is string => typeof v === "string" && v !== "";
/** A value as a warning quotes it: JSON, cut short (never throws: a BigInt has no JSON). */
function show(v: unknown): string {
  let t: string;
  try {
    t = JSON.stringify(v) ?? String(v);
  } catch {
    t = typeof v;
  }
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

function path(v: unknown, what: string): Read<ItemPath> {
  if (isText(v)) return v;
  if (Array.isArray(v) && v.length > 0 && v.every(isText)) return v as string[];
  return { problem: `${what} must be a dotted path or a list of them, not ${show(v)}` };
}

function kind(v: unknown, what: string): Read<ScreenKind | undefined> {
  if (v === undefined || SCREEN_KINDS.includes(v as ScreenKind)) return v as ScreenKind | undefined;
  return { problem: `${what} must be one of ${SCREEN_KINDS.join(", ")}, not ${show(v)}` };
}

function pair(v: unknown, what: string): Read<[string, string]> {
  if (Array.isArray(v) && v.length === 2 && v.every(isText)) return v as [string, string];
  return { problem: `${what} must be two words, not ${show(v)}` };
}

/** An object of names to paths (`params`, `count`), or of names to names (`filters`). */
function record<T>(
  v: unknown,
  what: string,
  each: (x: unknown, w: string) => Read<T>,
): Read<Record<string, T>> {
  if (!isObj(v) || Object.keys(v).length === 0) return { problem: `${what} must be a non-empty object` };
  const out: Record<string, T> = {};
  for (const [k, x] of Object.entries(v)) {
    const r = each(x, `${what}.${k}`);
    if (failed(r)) return r;
    out[k] = r;
  }
  return out;
}

const name = (v: unknown, what: string): Read<string> =>
  isText(v) ? v : { problem: `${what} must be a name, not ${show(v)}` };

function column(v: unknown, i: number): Read<ScreenColumn> {
  const what = `columns[${i}]`;
  if (!isObj(v) || !isText(v.header)) return { problem: `${what} needs a header` };
  const extra = Object.keys(v).find((k) => !COLUMN_KEYS.includes(k));
  if (extra) return { problem: `${what} has an unknown key ${extra}` };
  const field = path(v.field, `${what}.field`);
  const k = kind(v.kind, `${what}.kind`);
  if (failed(field)) return field;
  if (failed(k)) return k;
  if (v.letter !== undefined && !(typeof v.letter === "string" && /^[A-Z]$/.test(v.letter)))
    return { problem: `${what}.letter must be one upper-case letter, not ${show(v.letter)}` };
  if (v.sort !== undefined && !isText(v.sort)) return { problem: `${what}.sort must be a name` };
  if (v.identifier !== undefined && typeof v.identifier !== "boolean")
    return { problem: `${what}.identifier must be true or false` };
  return {
    header: v.header,
    field,
    ...(k && k !== "text" ? { kind: k } : {}),
    ...(v.identifier === true ? { identifier: true as const } : {}),
    ...(v.letter ? { letter: v.letter as string } : {}),
    ...(v.sort ? { sort: v.sort as string } : {}),
  };
}

function list<T>(v: unknown, what: string, each: (x: unknown, i: number) => Read<T>): Read<T[]> {
  if (!Array.isArray(v) || v.length === 0) return { problem: `${what} must be a non-empty list` };
  const out: T[] = [];
  for (const [i, x] of v.entries()) {
    const r = each(x, i);
    if (failed(r)) return r;
    out.push(r);
  }
  return out;
}

function summaryRow(v: unknown, i: number): Read<[string, ItemPath, ScreenKind?]> {
  const what = `summary[${i}]`;
  if (!Array.isArray(v) || v.length < 2 || v.length > 3 || !isText(v[0]))
    return { problem: `${what} must be [label, path] or [label, path, kind]` };
  const p = path(v[1], `${what}'s path`);
  const k = kind(v[2], `${what}'s kind`);
  if (failed(p)) return p;
  if (failed(k)) return k;
  return k ? [v[0], p, k] : [v[0], p];
}

/** The parts of a list hint, each read or the first problem. */
function listParts(s: Obj): Read<Partial<ScreenModel>> {
  const parts: [string, unknown, (v: unknown) => Read<unknown>][] = [
    ["noun", s.noun, (v) => pair(v, "noun")],
    ["id", s.id, (v) => path(v, "id")],
    ["columns", s.columns, (v) => list(v, "columns", column)],
  ];
  const optional: [string, unknown, (v: unknown) => Read<unknown>][] = [
    ["who", s.who, (v) => path(v, "who")],
    ["summary", s.summary, (v) => list(v, "summary", summaryRow)],
    ["params", s.params, (v) => record(v, "params", name)],
    ["order", s.order, (v) => pair(v, "order")],
    ["filters", s.filters, (v) => record(v, "filters", name)],
  ];
  const out: Obj = {};
  for (const [k, v, read] of [...parts, ...optional.filter(([, v]) => v !== undefined)]) {
    const r = read(v);
    if (failed(r)) return r;
    out[k] = r;
  }
  const role = Object.keys(out.params ?? {}).find(
    (k) => !(SCREEN_LIST_PARAMS as readonly string[]).includes(k),
  );
  if (role) return { problem: `params.${role} is not one of ${SCREEN_LIST_PARAMS.join(", ")}` };
  const word = Object.keys(out.filters ?? {}).find((k) => !/^[a-z][a-z0-9_]*$/.test(k));
  if (word !== undefined) return { problem: `filters: ${show(word)} is not a lower-case word` };
  return out as Partial<ScreenModel>;
}

function changeParts(s: Obj, role: ScreenModel["role"]): Read<Partial<ScreenModel>> {
  const params = record(s.params, "params", path);
  if (failed(params)) return params;
  if (role !== "revoke" || s.count === undefined) return { params };
  const count = record(s.count, "count", path);
  return failed(count) ? count : { params, count };
}

/** `x-opcli-screen`: the TUI screen an operation serves, and how; a warning when malformed. */
export function screenOf(raw: unknown, where: string, warn: (m: string) => void): { screen?: ScreenModel } {
  if (raw === undefined) return {};
  const bad = (problem: string) => {
    warn(`${where}: x-opcli-screen: ${problem} (README, "Hints in the document")`);
    return {};
  };
  if (!isObj(raw)) return bad(`must be an object, not ${show(raw)}`);
  const role = (raw.role ?? "list") as ScreenModel["role"];
  if (!isText(raw.name) || !ROLES.includes(role)) return bad(`needs a name and a role (${ROLES.join(", ")})`);
  const extra = Object.keys(raw).find((k) => !KEYS[role].includes(k));
  if (extra) return bad(`${extra} is not a key of a ${role} hint`);
  const parts = role === "list" ? listParts(raw) : changeParts(raw, role);
  if (failed(parts)) return bad(parts.problem);
  return { screen: { name: raw.name, role, ...parts } };
}
