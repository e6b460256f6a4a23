import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { SERVER_BIN } from "../helpers/spawn-server.js";

// opcli-server binds its port before it opens (and so creates) a store: a port in use leaves
// nothing behind.

describe("opcli-server --port on a port in use", () => {
  it("exits 3 naming the port problem and creates no store", async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const port = (busy.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), "opcli-port-"));
    const db = join(dir, "store.db");
    try {
      const r = await promisify(execFile)(
        process.execPath,
        [SERVER_BIN, "--port", String(port), "--db", db],
        {
          env: { PATH: process.env.PATH, XDG_DATA_HOME: dir, HOME: dir },
        },
      ).then(
        () => ({ code: 0, stderr: "" }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/cannot listen for HTTP: EADDRINUSE/);
      expect(existsSync(db)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      busy.close();
    }
  });
});
