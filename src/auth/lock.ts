import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ensureDir, PathError } from "../platform/fs.js";

const STALE_MS = 30_000;

function holderAlive(path: string): boolean {
  try {
    const pid = Number(readFileSync(path, "utf8"));
    if (!pid) return true;
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but is someone else's.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tryAcquire(path: string): boolean {
  try {
    const fd = openSync(path, "wx", 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EEXIST")
      throw new PathError(`cannot create lock file ${path}: ${code ?? (err as Error).message}`);
    try {
      const age = Date.now() - statSync(path).mtimeMs;
      if (age > STALE_MS || !holderAlive(path)) rmSync(path, { force: true });
    } catch {
      // Gone in between: the next attempt will tell.
    }
    return false;
  }
}

/**
 * Runs fn while holding a lock file (O_EXCL create), so that parallel opcli processes with an
 * empty cache make one token request between them. Stale locks (dead holder, or older than 30 s)
 * are broken.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  ensureDir(dirname(path));
  const deadline = Date.now() + timeoutMs;
  let wait = 5;
  while (!tryAcquire(path)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, wait + Math.random() * wait));
    wait = Math.min(wait * 2, 100);
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}
