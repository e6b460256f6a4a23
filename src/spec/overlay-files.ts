import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { SpecError } from "./errors.js";

// The overlay files a load considers: those shipped in spec/overlays/ (applied when they match the
// document) and those given with --overlay (always applied), with what the model cache watches.

export interface OverlayFile {
  path: string;
  text: string;
  /** Given by the user (always applied), else shipped (applied when it matches). */
  user: boolean;
}

/** A file the warm start checks by size and mtime (the shipped overlay folder included). */
export interface Watched {
  path: string;
  mtimeMs: number;
  size: number;
}

// From the bundle in dist/, and from src/spec/ (tests run in process): the package's spec/overlays.
const SHIPPED = ["../spec/overlays/", "../../spec/overlays/"];

export function shippedOverlayDir(): string | undefined {
  for (const rel of SHIPPED) {
    const dir = new URL(rel, import.meta.url).pathname;
    try {
      if (statSync(dir).isDirectory()) return dir;
    } catch {
      // Not this layout.
    }
  }
  return undefined;
}

function shippedFiles(dir: string | undefined): string[] {
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Every overlay a load considers, shipped first, then the user's in the order given. */
export function readOverlayFiles(userPaths: readonly string[]): OverlayFile[] {
  const read = (path: string, user: boolean): OverlayFile => {
    try {
      return { path, text: readFileSync(path, "utf8"), user };
    } catch (err) {
      throw new SpecError(`cannot read overlay ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
  };
  return [
    ...shippedFiles(shippedOverlayDir()).map((p) => read(p, false)),
    ...userPaths.map((p) => read(resolve(p), true)),
  ];
}

/** What the warm start must find unchanged: the shipped folder, its files and the user's overlays. */
export function watchedFiles(userPaths: readonly string[]): Watched[] {
  const dir = shippedOverlayDir();
  const paths = [...(dir ? [dir] : []), ...shippedFiles(dir), ...userPaths.map((p) => resolve(p))];
  return paths.map((path) => {
    const st = statSync(path);
    return { path, mtimeMs: st.mtimeMs, size: st.size };
  });
}

/** Whether every watched file is as recorded. */
export function unchanged(watched: readonly Watched[]): boolean {
  try {
    return watched.every((w) => {
      const st = statSync(w.path);
      return st.mtimeMs === w.mtimeMs && st.size === w.size;
    });
  } catch {
    return false;
  }
}
