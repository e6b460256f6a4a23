// $ref resolution: local JSON pointers, and relative files (loaded on demand, then inlined).

export type Doc = Record<string, unknown>;

export interface RefContext {
  /** Documents by absolute location; the root is included. */
  docs: Map<string, Doc>;
  load(location: string): Doc;
}

import { RefError } from "./errors.js";

export { RefError };

function unescapePointer(token: string): string {
  return decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~");
}

export function followPointer(doc: unknown, pointer: string, ref: string): unknown {
  if (pointer === "" || pointer === "/") return doc;
  let node: unknown = doc;
  for (const token of pointer.replace(/^\//, "").split("/").map(unescapePointer)) {
    if (typeof node !== "object" || node === null || !(token in node)) {
      throw new RefError(`cannot resolve $ref "${ref}"`);
    }
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

export function resolveLocation(base: string, file: string): string {
  if (/^[a-z]+:\/\//i.test(file)) return file;
  if (/^[a-z]+:\/\//i.test(base)) return new URL(file, base).href;
  const baseDir = base.replace(/[^/]*$/, "");
  const joined = file.startsWith("/") ? file : baseDir + file;
  const parts: string[] = [];
  for (const p of joined.split("/")) {
    if (p === "..") parts.pop();
    else if (p !== ".") parts.push(p);
  }
  return parts.join("/");
}

/** Follows $ref chains from `node` (found in document `base`) to a concrete object. */
export function deref(
  ctx: RefContext,
  node: unknown,
  base: string,
  seen = new Set<string>(),
): { node: unknown; base: string } {
  if (typeof node !== "object" || node === null || typeof (node as Doc).$ref !== "string")
    return { node, base };
  const ref = (node as Doc).$ref as string;
  const [file, pointer = ""] = ref.split("#", 2) as [string, string | undefined];
  const location = file === "" ? base : resolveLocation(base, file);
  const key = `${location}#${pointer}`;
  if (seen.has(key)) throw new RefError(`circular $ref "${ref}"`);
  seen.add(key);
  const doc = ctx.docs.get(location) ?? ctx.load(location);
  return deref(ctx, followPointer(doc, pointer, ref), location, seen);
}

/**
 * Makes a schema self-contained relative to the root document: refs into other files are
 * inlined (recursively), local refs of the root are kept so schema names survive.
 */
export function inlineExternal(
  ctx: RefContext,
  node: unknown,
  base: string,
  root: string,
  depth = 0,
): unknown {
  if (depth > 64 || typeof node !== "object" || node === null) return node;
  if (Array.isArray(node)) return node.map((n) => inlineExternal(ctx, n, base, root, depth + 1));
  const obj = node as Doc;
  if (typeof obj.$ref === "string") {
    const [file] = obj.$ref.split("#", 1) as [string];
    if (base === root && file === "") return obj;
    const target = deref(ctx, obj, base);
    if (target.base === root && file === "") return obj;
    return inlineExternal(ctx, target.node, target.base, root, depth + 1);
  }
  const out: Doc = {};
  for (const [k, v] of Object.entries(obj)) out[k] = inlineExternal(ctx, v, base, root, depth + 1);
  return out;
}
