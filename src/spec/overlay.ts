import { basename } from "node:path";
import { lazyRequire } from "../platform/lazy-require.js";
import { SpecError } from "./errors.js";
import type { Doc } from "./refs.js";

// OpenAPI Overlays (Overlay Specification 1.0.0): actions that update or remove the nodes a
// JSONPath (RFC 9535) selects, applied to a parsed document before the model is built. This is
// how a document we may not edit gets its `x-opcli-*` hints. The JSONPath library loads only
// when an overlay applies.

export interface Overlay {
  /** Where it came from (a file path), for messages and the model's list. */
  source: string;
  title: string;
  /** The document it is written for (Overlay `extends`): matched by file name. */
  extends?: string;
  /** `x-opcli-match: {title, version}`: the documents it applies to by their `info`. */
  match?: { title?: string; version?: string };
  actions: { target: string; update?: unknown; remove?: boolean }[];
}

type JsonPath = typeof import("jsonpath-rfc9535");

const isObject = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);

/** A parsed overlay document, checked: `overlay: 1.0.x`, `info`, and a list of actions. */
export function toOverlay(raw: unknown, source: string): Overlay {
  const fail = (why: string) => new SpecError(`overlay ${source}: ${why}`);
  if (!isObject(raw) || typeof raw.overlay !== "string") throw fail("not an overlay (no `overlay: 1.0.0`)");
  if (!/^1\.0\.\d+$/.test(raw.overlay)) throw fail(`overlay version ${raw.overlay} is not supported (1.0.x)`);
  const info = isObject(raw.info) ? raw.info : undefined;
  if (!info || typeof info.title !== "string") throw fail("info.title is missing");
  if (!Array.isArray(raw.actions) || raw.actions.length === 0) throw fail("actions must be a non-empty list");
  const actions = raw.actions.map((a, i) => {
    if (!isObject(a) || typeof a.target !== "string") throw fail(`action ${i + 1} has no target`);
    if (a.update === undefined && a.remove !== true)
      throw fail(`action ${i + 1} neither updates nor removes`);
    return {
      target: a.target,
      ...(a.update !== undefined ? { update: a.update } : {}),
      remove: a.remove === true,
    };
  });
  const m = raw["x-opcli-match"];
  return {
    source,
    title: info.title,
    ...(typeof raw.extends === "string" ? { extends: raw.extends } : {}),
    ...(isObject(m)
      ? {
          match: {
            ...(typeof m.title === "string" ? { title: m.title } : {}),
            ...(typeof m.version === "string" ? { version: m.version } : {}),
          },
        }
      : {}),
    actions,
  };
}

/** Whether a shipped overlay is for this document: its `info` (x-opcli-match), else `extends`' file name. */
export function overlayMatches(overlay: Overlay, doc: Doc, location: string): boolean {
  const info = isObject(doc.info) ? doc.info : {};
  if (overlay.match?.title !== undefined) {
    return (
      info.title === overlay.match.title &&
      (overlay.match.version === undefined || info.version === overlay.match.version)
    );
  }
  if (!overlay.extends) return false;
  const name = (s: string) => basename(s.replace(/[?#].*$/, ""));
  return name(overlay.extends) === name(location);
}

/** An own property, never the prototype: an overlay's `__proto__` key is data, not a setter. */
function setOwn(obj: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

const own = (obj: Record<string | number, unknown>, key: string | number) =>
  Object.hasOwn(obj, key) ? obj[key] : undefined;

/** Objects merge key by key (recursively); an array gets the update appended; anything else is replaced. */
function merge(target: unknown, update: unknown): unknown {
  if (Array.isArray(target)) return [...target, ...[structuredClone(update)].flat(1)];
  if (!isObject(target) || !isObject(update)) return structuredClone(update);
  for (const [k, v] of Object.entries(update))
    setOwn(target, k, Object.hasOwn(target, k) ? merge(target[k], v) : structuredClone(v));
  return target;
}

function parentOf(doc: Doc, path: (string | number)[]): unknown {
  let node: unknown = doc;
  for (const key of path.slice(0, -1))
    node = node && typeof node === "object" ? own(node as Record<string | number, unknown>, key) : undefined;
  return node;
}

/** Applies an overlay's actions in order, in place: each target's nodes updated or removed. */
export function applyOverlay(doc: Doc, overlay: Overlay): void {
  const jp = lazyRequire("jsonpath-rfc9535") as JsonPath;
  for (const action of overlay.actions) {
    const found: (string | number)[][] = [];
    try {
      jp.exec(doc as Parameters<JsonPath["exec"]>[0], action.target, (_v, p) => found.push([...p]));
    } catch (err) {
      throw new SpecError(`overlay ${overlay.source}: target ${action.target}: ${(err as Error).message}`);
    }
    if (action.remove) {
      // From the last: removing an array element must not shift the ones still to remove.
      for (const path of found.reverse()) {
        const parent = parentOf(doc, path) as Record<string | number, unknown> | unknown[];
        const key = path.at(-1)!;
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else if (parent && typeof parent === "object" && Object.hasOwn(parent, key)) delete parent[key];
      }
      continue;
    }
    for (const path of found) {
      if (path.length === 0) {
        merge(doc, action.update);
        continue;
      }
      const parent = parentOf(doc, path) as Record<string | number, unknown>;
      const key = path.at(-1)!;
      setOwn(parent, key, merge(own(parent, key), action.update));
    }
  }
}
