import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isolatedEnv, runOpcli } from "../helpers/run-opcli.js";

// bin/opcli keeps V8's code cache for the bundle in $XDG_CACHE_HOME/opcli (Node 22+: Node's own
// compile cache there); a cache it cannot write never changes what a command prints.
const hasCompileCache = Number(process.versions.node.split(".")[0]) >= 22;

describe("the CLI bundle's code cache", () => {
  it("is written on the first run, used on the next, and output is the same", async () => {
    const env = isolatedEnv();
    const cache = join(String(env.HOME), "xdg-cache");
    const first = await runOpcli(["--version"], { env: { ...env, XDG_CACHE_HOME: cache } });
    const entries = readdirSync(join(cache, "opcli"));
    expect(
      entries.some((e) => (hasCompileCache ? e === "compile" : /^code-[0-9a-f]{32}-.+\.bin$/.test(e))),
    ).toBe(true);
    const second = await runOpcli(["--version"], { env: { ...env, XDG_CACHE_HOME: cache } });
    expect(second).toEqual(first);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe("");
    expect(readdirSync(join(cache, "opcli")).filter((e) => e.endsWith(".tmp"))).toEqual([]);
  });

  it("keeps one cache per bundle file: --help (which loads dist/opcli-lazy.cjs) leaves two", async () => {
    const env = isolatedEnv();
    const cache = join(String(env.HOME), "xdg-cache");
    const run = () => runOpcli(["--help"], { env: { ...env, XDG_CACHE_HOME: cache } });
    const version = await runOpcli(["--version"], { env: { ...env, XDG_CACHE_HOME: cache } });
    const codeFiles = () =>
      readdirSync(join(cache, "opcli")).filter((e) => /^code-[0-9a-f]{32}-.+\.bin$/.test(e));
    // --version runs on the first file alone; --help adds the lazy file's cache.
    if (!hasCompileCache) expect(codeFiles()).toHaveLength(1);
    const first = await run();
    if (!hasCompileCache) expect(codeFiles()).toHaveLength(2);
    const second = await run();
    expect(second).toEqual(first);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe("");
    expect(first.stdout).toMatch(/--operation-id/);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("falls back silently when the cache directory cannot be written", async () => {
    const env = isolatedEnv();
    const notADir = join(String(env.HOME), "a-file");
    writeFileSync(notADir, "");
    const r = await runOpcli(["--version"], { env: { ...env, XDG_CACHE_HOME: notADir } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
