import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ensureDir } from "../platform/fs.js";
import { type ApiModel, MODEL_FORMAT, type OperationModel } from "./model.js";
import { unchanged, type Watched } from "./overlay-files.js";

// The compiled-model cache. Only this module (fs, no parser) is loaded on a warm start; a
// model's component schemas sit in a file of their own, read only when something needs them.

export interface LoadOptions {
  /** Told about clashes and unresolvable references, once: when the model is compiled. */
  onWarning?: (message: string) => void;
  /** Directory for compiled models; none disables the cache. */
  cacheDir?: string;
  /** Part of the cache key, so a new opcli never reads an old model. */
  toolVersion: string;
  /** Overlay files to apply (`--overlay`), in order, after any shipped one that matches. */
  overlays?: string[];
}

export interface CacheEntry {
  key: string;
  /** Other files the document pulled in through $ref, with their hashes. */
  deps: { path: string; sha256: string }[];
  model: ApiModel;
}

export type Hash = (text: string) => string;

// Operation fields that many operations share (a document's security, servers, paging), kept
// once in a cache file and named by index: the Janssen model reads 106 KB, not 144 KB, and
// reading it is most of a warm --info.
const SHARED_FIELDS = ["security", "servers", "paging", "responseTypes"] as const;

/** The operations with each shared field's value replaced by its index in `shared`. */
function indexShared(operations: OperationModel[]): { operations: unknown[]; shared: unknown[] } {
  const shared: unknown[] = [];
  const seen = new Map<string, number>();
  const indexOf = (value: unknown) => {
    const text = JSON.stringify(value);
    let i = seen.get(text);
    if (i === undefined) {
      i = shared.push(value) - 1;
      seen.set(text, i);
    }
    return i;
  };
  const ops = operations.map((op) => {
    const out: Record<string, unknown> = { ...op };
    for (const f of SHARED_FIELDS) if (op[f] !== undefined) out[f] = indexOf(op[f]);
    return out;
  });
  return { operations: ops, shared };
}

/** Puts the shared values back (the same object for every operation that shares one, as compiled). */
function restoreShared(operations: Record<string, unknown>[], shared: unknown[]): void {
  for (const op of operations)
    for (const f of SHARED_FIELDS) {
      const i = op[f];
      if (i === undefined) continue;
      const value = typeof i === "number" ? shared[i] : undefined;
      if (value === undefined) throw new Error("model cache: bad shared index");
      op[f] = value;
    }
}

const schemasFile = (file: string) => file.replace(/\.json$/, ".schemas.json");

/** The model with `schemas` read from its own file on first use. */
function withLazySchemas(model: Omit<ApiModel, "schemas">, file: string): ApiModel {
  let schemas: Record<string, unknown> | undefined;
  return Object.defineProperty(model, "schemas", {
    enumerable: true,
    get: () => {
      schemas ??= JSON.parse(readFileSync(schemasFile(file), "utf8")) as Record<string, unknown>;
      return schemas;
    },
  }) as ApiModel;
}

export function readCache(file: string, sha256: Hash | undefined): CacheEntry | undefined {
  try {
    const { shared, ...entry } = JSON.parse(readFileSync(file, "utf8")) as CacheEntry & { shared: unknown[] };
    // Documents with $refs to other files: those files must be unchanged too (needs the hasher).
    if (entry.deps.length > 0 && !sha256) return undefined;
    for (const dep of entry.deps)
      if (sha256!(readFileSync(dep.path, "utf8")) !== dep.sha256) return undefined;
    if (entry.model.format !== MODEL_FORMAT) return undefined;
    restoreShared(entry.model.operations as unknown as Record<string, unknown>[], shared);
    return { ...entry, model: withLazySchemas(entry.model, file) };
  } catch {
    return undefined;
  }
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export function writeCache(file: string, entry: CacheEntry): void {
  try {
    ensureDir(dirname(file));
    const { schemas, operations, ...rest } = entry.model;
    const { operations: indexed, shared } = indexShared(operations);
    // Schemas first: a reader that finds the model also finds its schemas.
    writeAtomic(schemasFile(file), JSON.stringify(schemas));
    writeAtomic(file, JSON.stringify({ ...entry, model: { ...rest, operations: indexed }, shared }));
  } catch {
    // A cache that cannot be written only costs speed.
  }
}

interface StatEntry {
  mtimeMs: number;
  size: number;
  key: string;
  /** The --overlay files the model was compiled with (absolute paths, in order). */
  userOverlays?: string[];
  /** Overlay files (and the shipped folder) that must be unchanged for the model to hold. */
  watched?: Watched[];
}

const sameList = (a: readonly string[] = [], b: readonly string[] = []) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const statFile = (cacheDir: string, path: string) =>
  join(cacheDir, `stat-${path.replace(/[^A-Za-z0-9.-]/g, "_").slice(-180)}.json`);

/**
 * Warm start for a local file: if its size and mtime are those recorded with a compiled model,
 * the model is read by its content key without reading (or hashing) the document itself.
 */
export function loadModelByStat(path: string, opts: LoadOptions): ApiModel | undefined {
  if (!opts.cacheDir) return undefined;
  try {
    const st = statSync(path);
    const entry = JSON.parse(readFileSync(statFile(opts.cacheDir, path), "utf8")) as StatEntry;
    if (
      entry.mtimeMs !== st.mtimeMs ||
      entry.size !== st.size ||
      !entry.key.endsWith(`-${MODEL_FORMAT}-${opts.toolVersion}`) ||
      !sameList(
        entry.userOverlays,
        (opts.overlays ?? []).map((p) => resolve(p)),
      ) ||
      !unchanged(entry.watched ?? [])
    ) {
      return undefined;
    }
    const hit = readCache(join(opts.cacheDir, `${entry.key}.json`), undefined);
    if (!hit) return undefined;
    hit.model.source = path;
    return hit.model;
  } catch {
    return undefined;
  }
}

export function recordStat(
  cacheDir: string,
  path: string,
  key: string,
  overlays: { user: string[]; watched: Watched[] },
): void {
  try {
    const st = statSync(path);
    ensureDir(cacheDir);
    const entry: StatEntry = { mtimeMs: st.mtimeMs, size: st.size, key };
    if (overlays.user.length) entry.userOverlays = overlays.user;
    if (overlays.watched.length) entry.watched = overlays.watched;
    writeAtomic(statFile(cacheDir, path), JSON.stringify(entry));
  } catch {
    // Only a shortcut: without it the next start hashes the document.
  }
}
