import { mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
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

  it.skipIf(hasCompileCache)(
    "a write prunes other builds' caches a month old, never a recent one",
    async () => {
      const env = isolatedEnv();
      const cache = join(String(env.HOME), "xdg-cache");
      const dir = join(cache, "opcli");
      mkdirSync(dir, { recursive: true });
      const old = "code-00000000000000000000000000000000-old-x64.bin";
      const recent = "code-11111111111111111111111111111111-recent-x64.bin";
      for (const f of [old, recent, "notes.txt"]) writeFileSync(join(dir, f), "x");
      const fortyDaysAgo = (Date.now() - 40 * 86_400_000) / 1000;
      utimesSync(join(dir, old), fortyDaysAgo, fortyDaysAgo);
      utimesSync(join(dir, "notes.txt"), fortyDaysAgo, fortyDaysAgo);
      const r = await runOpcli(["--version"], { env: { ...env, XDG_CACHE_HOME: cache } });
      expect(r.code).toBe(0);
      const left = readdirSync(dir);
      expect(left).not.toContain(old);
      expect(left).toEqual(expect.arrayContaining([recent, "notes.txt"]));
      expect(left.filter((e) => /^code-[0-9a-f]{32}-.+\.bin$/.test(e) && e !== recent)).toHaveLength(1);
    },
  );

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
