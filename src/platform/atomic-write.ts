import { chmodSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { ensureDir, PathError } from "./fs.js";

/**
 * Replaces a file atomically: written beside it under a temporary name, then renamed, so a
 * reader sees the old content or the new, never half. With a mode, the file has exactly it
 * (0600 for anything holding a secret), whatever the umask. The directory is created (0700).
 */
export function writeFileAtomic(path: string, content: string, mode?: number): void {
  ensureDir(dirname(path));
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, content, mode === undefined ? {} : { mode });
    if (mode !== undefined) chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new PathError(
      `cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}
