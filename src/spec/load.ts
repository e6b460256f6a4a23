import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { lazyRequire } from "../platform/lazy-require.js";
import { buildModel, SpecError } from "./build-model.js";
import { type ApiModel, MODEL_FORMAT } from "./model.js";
import {
  type CacheEntry,
  type Hash,
  type LoadOptions,
  readCache,
  recordStat,
  writeCache,
} from "./model-cache.js";
import { type OverlayFile, readOverlayFiles, watchedFiles } from "./overlay-files.js";
import type { Doc, RefContext } from "./refs.js";
import { isSwagger2, swagger2ToOpenApi3 } from "./swagger2.js";

export { loadModelByStat } from "./model-cache.js";
export type { LoadOptions };
export { SpecError };

/** node:crypto is loaded only when something must be hashed (its import costs start-up time). */
async function hasher(): Promise<Hash> {
  const { createHash } = lazyRequire("node:crypto") as typeof import("node:crypto");
  return (text) => createHash("sha256").update(text).digest("hex");
}

type YamlLoad = (text: string) => unknown;

/** js-yaml with the YAML 1.2 core schema (no Date objects), loaded on first need. */
async function yamlLoader(): Promise<YamlLoad> {
  type JsYaml = typeof import("js-yaml");
  const mod = lazyRequire("js-yaml") as JsYaml & { default?: JsYaml };
  const y = mod.default ?? mod;
  return (text) => y.load(text, { schema: y.CORE_SCHEMA });
}

/** JSON when it looks like JSON (fast path), else YAML. */
export async function parseDocument(text: string, location: string): Promise<Doc> {
  const trimmed = text.trimStart();
  try {
    if (trimmed.startsWith("{")) return JSON.parse(text) as Doc;
    const doc = (await yamlLoader())(text);
    if (typeof doc !== "object" || doc === null) throw new Error("the document is not a mapping");
    return doc as Doc;
  } catch (err) {
    throw new SpecError(`cannot parse ${location}: ${(err as Error).message.split("\n")[0]}`);
  }
}

/** Loads a document's text into the model, through the compiled-model cache when possible. */
export async function loadModel(text: string, location: string, opts: LoadOptions): Promise<ApiModel> {
  const sha256 = await hasher();
  const userOverlays = opts.overlays ?? [];
  const overlays = readOverlayFiles(userOverlays);
  // The overlays (shipped and given) are part of the key: another set compiles another model.
  const overlayKey = sha256(overlays.map((o) => `${o.user ? "u" : "s"}\0${o.text}`).join("\0")).slice(0, 16);
  const key = `${sha256(text)}-${overlayKey}-${MODEL_FORMAT}-${opts.toolVersion}`;
  const cacheFile = opts.cacheDir ? join(opts.cacheDir, `${key}.json`) : undefined;
  const isFile = !/^[a-z]+:\/\//i.test(location);
  if (cacheFile && isFile)
    recordStat(opts.cacheDir!, location, key, {
      user: userOverlays.map((p) => resolve(p)),
      watched: watchedFiles(userOverlays),
    });
  if (cacheFile) {
    const hit = readCache(cacheFile, sha256);
    if (hit) {
      hit.model.source = location;
      return hit.model;
    }
  }
  const parsed = await parseDocument(text, location);
  const applied = await applyOverlays(parsed, location, overlays);
  const root = isSwagger2(parsed) ? swagger2ToOpenApi3(parsed) : parsed;
  const deps: CacheEntry["deps"] = [];
  const pending = new Map<string, Doc>([[location, root]]);
  const ctx: RefContext = {
    docs: pending,
    load(path) {
      if (/^[a-z]+:\/\//i.test(path)) throw new SpecError(`cannot follow $ref to remote document ${path}`);
      let body: string;
      try {
        body = readFileSync(path, "utf8");
      } catch (err) {
        throw new SpecError(`cannot read $ref target ${path}: ${(err as Error).message}`);
      }
      // Referenced files are parsed synchronously as JSON, or with the yaml package already loaded.
      const doc = body.trimStart().startsWith("{") ? (JSON.parse(body) as Doc) : yamlSync(body, path);
      deps.push({ path, sha256: sha256(body) });
      pending.set(path, doc);
      return doc;
    },
  };
  yamlLoad = await yamlLoader();
  let model: ApiModel;
  try {
    model = buildModel(ctx, location, location);
  } catch (err) {
    if (err instanceof SpecError) throw err;
    throw new SpecError(`cannot load ${location}: ${(err as Error).message}`);
  }
  if (applied.length) model.overlays = applied;
  if (cacheFile) writeCache(cacheFile, { key, deps, model });
  for (const w of model.warnings) opts.onWarning?.(w);
  return model;
}

/** Applies the shipped overlays written for this document, then the user's; their titles. */
async function applyOverlays(doc: Doc, location: string, files: OverlayFile[]): Promise<string[]> {
  if (files.length === 0) return [];
  const { applyOverlay, overlayMatches, toOverlay } = await import("./overlay.js");
  const applied: string[] = [];
  for (const file of files) {
    const overlay = toOverlay(await parseDocument(file.text, file.path), file.path);
    if (!file.user && !overlayMatches(overlay, doc, location)) continue;
    applyOverlay(doc, overlay);
    applied.push(overlay.title);
  }
  return applied;
}

let yamlLoad: YamlLoad | undefined;
function yamlSync(body: string, path: string): Doc {
  try {
    return yamlLoad!(body) as Doc;
  } catch (err) {
    throw new SpecError(`cannot parse ${path}: ${(err as Error).message.split("\n")[0]}`);
  }
}
