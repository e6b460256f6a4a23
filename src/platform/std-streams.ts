import { fstatSync, statSync, writeSync } from "node:fs";
import type * as Tty from "node:tty";
import { lazyRequire } from "./lazy-require.js";

// Standard output and error without node's stream modules when they are a pipe or a file: touching
// process.stdout loads tty, net and stream (several ms of a start that prints a page and exits).
// A terminal still gets node's tty stream (columns, colour detection).

/** What a write that cannot go on does: a closed pipe, or any other failure. */
export type WriteFailure = (err: NodeJS.ErrnoException) => void;

let nullDevice: number | undefined;

/** Whether fd is a terminal; tty is loaded only for a character device other than /dev/null. */
export function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    nullDevice ??= statSync("/dev/null").rdev;
    if (st.rdev === nullDevice) return false;
  } catch {
    return false;
  }
  return (lazyRequire("node:tty") as typeof Tty).isatty(fd);
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of text to fd synchronously, waiting out a non-blocking descriptor's EAGAIN. */
export function writeAllSync(fd: number, text: string, failed: WriteFailure): void {
  const bytes = Buffer.from(text, "utf8");
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code !== "EAGAIN") {
        failed(e);
        return;
      }
      // A reader that is slower than us: wait a moment rather than spin.
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
