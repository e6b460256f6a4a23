// Bundles the entry points with esbuild: one file per entry, lazily split chunks, native
// modules left external. Fast start-up depends on this (no TypeScript loader at run time).
import { build } from "esbuild";

await build({
  entryPoints: { server: "src/server/main.ts", "server-lib": "src/server/index.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  external: ["better-sqlite3", "@napi-rs/keyring"],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: "warning",
});
