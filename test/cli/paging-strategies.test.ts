import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EchoServer, startEcho } from "../helpers/echo-server.js";
import { isolatedEnv, runOpcli, runOpcliInProcess } from "../helpers/run-opcli.js";

// --all against an API that pages each way, with a small document written here.
const ITEMS = Array.from({ length: 23 }, (_, i) => ({ id: i }));
let echo: EchoServer;
let spec: string;
let env: Record<string, string>;

beforeAll(async () => {
  echo = await startEcho();
  env = isolatedEnv({ OPCLI_HOST: "", OPCLI_ACCESS_TOKEN: "t" });
  spec = join(env.HOME!, "paging.json");
  const op = (id: string, params: object[]) => ({
    get: { operationId: id, parameters: params, responses: { "200": { description: "ok" } } },
  });
  const q = (name: string, type = "integer") => ({ name, in: "query", schema: { type } });
  writeFileSync(
    spec,
    JSON.stringify({
      openapi: "3.0.3",
      info: { title: "paging", version: "1" },
      paths: {
        "/offset": op("byOffset", [q("offset"), q("limit")]),
        "/cursor": op("byCursor", [q("cursor", "string"), q("limit")]),
        "/link": op("byLink", [q("p")]),
        "/pages": op("byPage", [q("page"), q("per_page")]),
      },
    }),
  );
  echo.respond = (r) => {
    const url = new URL(r.url, "http://x");
    const num = (k: string, d: number) => Number(url.searchParams.get(k) ?? d);
    const slice = (from: number, n: number) => ITEMS.slice(from, from + n);
    if (url.pathname === "/offset")
      return { status: 200, body: JSON.stringify(slice(num("offset", 0), num("limit", 5))) };
    if (url.pathname === "/cursor") {
      const at = num("cursor", 0);
      const page = slice(at, num("limit", 5));
      const next = at + page.length < ITEMS.length ? String(at + page.length) : "";
      return { status: 200, body: JSON.stringify({ data: page, meta: { next_cursor: next } }) };
    }
    if (url.pathname === "/pages")
      return {
        status: 200,
        body: JSON.stringify({ items: slice((num("page", 1) - 1) * num("per_page", 5), num("per_page", 5)) }),
      };
    const p = num("p", 0);
    const next: Record<string, string> =
      (p + 1) * 4 < ITEMS.length ? { link: `</link?p=${p + 1}>; rel="next"` } : {};
    return { status: 200, body: JSON.stringify(slice(p * 4, 4)), headers: next };
  };
});
afterAll(async () => echo?.close());

describe("--all paging strategies", () => {
  it.each([
    ["byOffset", "offset"],
    ["byCursor", "cursor"],
    ["byLink", "link"],
    ["byPage", "page"],
  ])("%s pages by %s and returns every item once", async (id) => {
    echo.requests.length = 0;
    const r = await runOpcliInProcess(
      ["--spec", spec, "--host", echo.url, "--operation-id", id, "--all", "--page-size", "5", "-o", "ndjson"],
      { env },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { id: number }).id),
    ).toEqual(ITEMS.map((x) => x.id));
    expect(echo.requests.length).toBeGreaterThan(4);
  });

  it("--max-items mid-page resumes inside that page", async () => {
    const base = [
      "--spec",
      spec,
      "--host",
      echo.url,
      "--operation-id",
      "byOffset",
      "--all",
      "--page-size",
      "5",
      "-o",
      "ndjson",
    ];
    const first = await runOpcliInProcess([...base, "--max-items", "7"], { env });
    const token = /--resume (\S+)/.exec(first.stderr)![1]!;
    const rest = await runOpcliInProcess([...base, "--resume", token], { env });
    const ids = [...first.stdout.trim().split("\n"), ...rest.stdout.trim().split("\n")].map(
      (l) => (JSON.parse(l) as { id: number }).id,
    );
    expect(ids).toEqual(ITEMS.map((x) => x.id));
  });

  it("a resume token for another operation is refused", async () => {
    const token = Buffer.from(JSON.stringify({ op: "other", strategy: "offset", at: 3 })).toString(
      "base64url",
    );
    const r = await runOpcliInProcess(
      ["--spec", spec, "--host", echo.url, "--operation-id", "byOffset", "--all", "--resume", token],
      { env },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("opcli: --resume: not a resume token for byOffset\n");
  });
});

describe("--batch and Ctrl-C", () => {
  it("stops taking lines, lets those in flight finish and reports what was not started", async () => {
    echo.respond = () => ({ status: 200, body: "{}", delayMs: 300 });
    echo.requests.length = 0;
    const lines = Array.from({ length: 40 }, () => JSON.stringify({ operationId: "byLink" })).join("\n");
    let pid = 0;
    const run = runOpcli(["--spec", spec, "--host", echo.url, "--batch", "-", "--concurrency", "2"], {
      env,
      input: lines,
      onSpawn: (p) => {
        pid = p;
      },
    });
    while (echo.requests.length < 3) await new Promise((r) => setTimeout(r, 20));
    process.kill(pid, "SIGINT");
    const r = await run;
    expect(r.code).toBe(130);
    const done = r.stdout.trim().split("\n").length;
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(40);
    expect(r.stderr).toBe(`opcli: batch: ${done} ok, 0 failed; interrupted, ${40 - done} not started\n`);
  });
});
