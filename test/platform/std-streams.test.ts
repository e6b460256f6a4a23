import { execFileSync, spawn } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isTerminal, writeAllSync } from "../../src/platform/std-streams.js";

// opcli writes to a pipe or a file without node's stream modules: every byte must still arrive,
// through a full pipe buffer, and a closed reader must be reported, not lost.

/** A FIFO opened for writing with O_NONBLOCK, read by a `cat` into a file (opened once it reads). */
function nonBlockingPipe() {
  const dir = mkdtempSync(join(tmpdir(), "opcli-std-"));
  const fifo = join(dir, "fifo");
  const out = join(dir, "out");
  execFileSync("mkfifo", [fifo]);
  const child = spawn("sh", ["-c", 'cat "$0" > "$1"', fifo, out], { stdio: "ignore" });
  const done = new Promise<void>((resolve) => child.on("close", () => resolve()));
  for (;;) {
    try {
      const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      return { fd, out, done };
    } catch (err) {
      // ENXIO: cat has not opened its end yet.
      if ((err as NodeJS.ErrnoException).code !== "ENXIO") throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

describe("standard streams without node's streams", () => {
  it("a pipe, a file and /dev/null are not terminals", async () => {
    const { fd, done } = nonBlockingPipe();
    expect(isTerminal(fd)).toBe(false);
    closeSync(fd);
    await done;
    const file = openSync(join(mkdtempSync(join(tmpdir(), "opcli-std-")), "f"), "w");
    expect(isTerminal(file)).toBe(false);
    expect(isTerminal(openSync("/dev/null", "r"))).toBe(false);
    expect(isTerminal(9999)).toBe(false);
  });

  it("writes every byte through a non-blocking pipe whose buffer fills (EAGAIN is waited out)", async () => {
    const { fd, out, done } = nonBlockingPipe();
    const text = `${"0123456789abcdef\u00e9\u2603\n".repeat(40_000)}end`;
    const failures: string[] = [];
    writeAllSync(fd, text, (e) => failures.push(String(e.code)));
    closeSync(fd);
    await done;
    expect(failures).toEqual([]);
    expect(readFileSync(out, "utf8")).toBe(text);
  });

  it("a reader that went away is reported once as EPIPE", async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), "opcli-std-")), "fifo");
    execFileSync("mkfifo", [fifo]);
    // The reader takes one byte and leaves; the rest meets a pipe nobody reads.
    const reader = spawn("head", ["-c", "1", fifo], { stdio: "ignore" });
    const fd = openSync(fifo, "w");
    const failures: string[] = [];
    writeAllSync(fd, "x".repeat(200_000), (e) => failures.push(String(e.code)));
    closeSync(fd);
    await new Promise((resolve) => reader.on("close", resolve));
    expect(failures).toEqual(["EPIPE"]);
  });
});
