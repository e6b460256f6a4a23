import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigError } from "./errors.js";

/** A directory or file that cannot be created or written: one line naming the path (exit 3). */
export class PathError extends ConfigError {
  override name = "PathError";
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * mkdir -p without Node's recursive mkdir, which loops forever under /proc (Node 20): finds the
 * nearest existing ancestor, then creates each level once; any failure names the path.
 */
export function ensureDir(dir: string, mode = 0o700): void {
  const missing: string[] = [];
  let at = dir;
  while (!isDir(at)) {
    missing.push(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && isDir(d)) continue;
      throw new PathError(`cannot create directory ${d}: ${code ?? (err as Error).message}`);
    }
  }
}
