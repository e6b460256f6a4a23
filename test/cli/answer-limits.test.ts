import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInProcess, testEnv } from "../helpers/cli-io.js";

// What a broken or hostile server cannot do to the CLI: hold it past --timeout by trickling its
// body, fill its memory with a huge answer, or pass a truncated JSON body off as the answer.

let server: Server;
let url: string;
const timers = new Set<NodeJS.Timeout>();
beforeAll(async () => {
  server = createServer((req, res) => {
    const mode = /^\/mode-([a-z-]+)\//.exec(req.url!)?.[1];
    if (mode === "slow") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      const t = setInterval(() => res.write(" "), 100);
      timers.add(t);
      res.on("close", () => clearInterval(t));
    } else if (mode === "big" || mode === "big-declared") {
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      res.writeHead(200, {
        "content-type": "application/json",
        ...(mode === "big-declared" ? { "content-length": String(chunk.length * 40) } : {}),
      });
      let n = 0;
      const more = () => {
        while (n < 40) {
          n++;
          if (!res.write(chunk)) return void res.once("drain", more);
        }
        res.end();
      };
      more();
    } else if (mode === "truncated") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"entries":[{"sid":"1"');
    } else {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const t of timers) clearInterval(t);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const run = (mode: string, extra: string[] = []) =>
  runInProcess(["--operation-id", "get-sessions", "--retries", "0", ...extra], {
    // The host's path says how the server answers.
    env: testEnv({ OPCLI_HOST: `${url}/mode-${mode}`, OPCLI_ACCESS_TOKEN: "t" }),
  });

describe("answers the CLI will not take", () => {
  it("--timeout bounds the whole exchange: a body trickled a byte at a time ends at the deadline", async () => {
    const started = Date.now();
    const r = await run("slow", ["--timeout", "1"]);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(r.code).toBe(7);
    expect(r.stderr).toBe("opcli: timed out after 1000 ms\n");
  });

  it.each(["big", "big-declared"])(
    "%s: an answer over --max-response-mb ends with one line, exit 7",
    async (mode) => {
      const r = await run(mode, ["--max-response-mb", "1"]);
      expect(r.code).toBe(7);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        /^opcli: the answer is larger than 1 MB \(--max-response-mb raises the limit\)\n$/,
      );
      // Under the default limit the same answer is fine.
      expect((await run(mode)).code).toBe(6); // 2.5 MB of spaces is no JSON either
    },
  );

  it("a body that says JSON and is not: exit 6 and one line; -o raw prints it as it came", async () => {
    const r = await run("truncated");
    expect(r.code).toBe(6);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^opcli: the answer says application\/json but is not JSON .*-o raw or --debug shows it\n$/,
    );
    const q = await run("truncated", ["--query", "entries[0].sid"]);
    expect(q.code).toBe(6);
    const raw = await run("truncated", ["-o", "raw"]);
    expect([raw.code, raw.stdout]).toEqual([0, '{"entries":[{"sid":"1"\n']);
    expect((await run("fine")).stdout).toBe('{"ok":true}\n');
  });
});
