// Bundles the entry points with esbuild (one file per entry, lazily split chunks, native modules
// external) and compiles the bundled OpenAPI document into dist/bundled-model.json. Fast
// start-up depends on this: no TypeScript loader and no YAML parsing at run time.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
const { version } = JSON.parse(readFileSync("package.json", "utf8"));
const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  external: ["better-sqlite3", "@napi-rs/keyring"],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  define: { __OPCLI_VERSION__: JSON.stringify(version) },
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: {
    opcli: "src/cli/main.ts",
    server: "src/server/main.ts",
    "server-lib": "src/server/index.ts",
  },
  outdir: "dist",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
});
await build({
  ...common,
  entryPoints: { "compile-bundled": "src/spec/compile-bundled.ts" },
  outdir: "dist/tools",
});
execFileSync(
  process.execPath,
  ["dist/tools/compile-bundled.js", "spec/opcli.yaml", "dist/bundled-model.json"],
  {
    stdio: "inherit",
  },
);
