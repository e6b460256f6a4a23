// Bundles with esbuild and compiles the bundled OpenAPI document into dist/bundled-model.json.
// Fast start-up depends on this: no TypeScript loader and no YAML parsing at run time.
// - the CLI is CommonJS (two files: scripts/build-cli.mjs): Node's ESM loader costs ~7 ms per
//   start for a split ESM build (measured: --info on the Janssen document 48.1 ms as ESM, 40.6 ms
//   as CJS); the libraries it imports lazily stay external and load only when a command needs them;
// - the server (and the library the CLI's embedded default imports) is ESM with split chunks.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";
import { buildCli } from "./build-cli.mjs";

rmSync("dist", { recursive: true, force: true });
const { version } = JSON.parse(readFileSync("package.json", "utf8"));
const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  // pg loads only when a PostgreSQL store is opened (a dynamic import).
  // redis loads only when sessions are configured to live in Redis (a dynamic import).
  external: ["better-sqlite3", "@napi-rs/keyring", "pg", "pg-native", "redis"],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  define: { __OPCLI_VERSION__: JSON.stringify(version) },
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: {
    server: "src/server/cli/main.ts",
    "server-lib": "src/server/index.ts",
  },
  outdir: "dist",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
});
// Lazily imported by the CLI; left out of its bundle.
const LAZY = [
  "js-yaml",
  "ajv",
  "ajv/*",
  "@jmespath-community/jmespath",
  "cli-table3",
  "chalk",
  "@napi-rs/keyring",
  "randexp",
  "jsonpath-rfc9535",
];
/** The embedded default imports the server as the ESM library built above, not a second copy. */
const serverAsLibrary = {
  name: "server-as-library",
  setup(b) {
    b.onResolve({ filter: /\/server\/index\.js$/ }, () => ({ path: "./server-lib.js", external: true }));
    // The terminal UI is its own ESM file (ink needs ESM), imported only by `opcli tui`.
    b.onResolve({ filter: /\/tui\/main\.js$/ }, () => ({ path: "./tui.js", external: true }));
  },
};
// ink, React and @inkjs/ui are bundled in, production builds: measured, loading them as separate
// ESM files from node_modules took 570-615 ms before the first frame; one file takes far less.
await build({
  ...common,
  entryPoints: { tui: "src/tui/main.ts" },
  outdir: "dist",
  define: { ...common.define, "process.env.NODE_ENV": '"production"' },
  minifySyntax: true,
  plugins: [
    {
      // ink reaches React DevTools only when DEV=true; the package is optional and not installed.
      name: "no-devtools",
      setup(b) {
        b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: "devtools", namespace: "stub" }));
        // ink renders only its last frame when CI is set; opcli tui runs only on a terminal
        // (checked before it loads), so a person there sees every frame, CI variable or not.
        b.onResolve({ filter: /^is-in-ci$/ }, () => ({ path: "is-in-ci", namespace: "stub" }));
        b.onLoad({ filter: /^devtools$/, namespace: "stub" }, () => ({
          contents: "export default { connectToDevTools() {} };",
        }));
        b.onLoad({ filter: /^is-in-ci$/, namespace: "stub" }, () => ({ contents: "export default false;" }));
      },
    },
  ],
});
// The CLI: two CommonJS files, what --info needs and the rest (scripts/build-cli.mjs).
const { banner: _esmBanner, ...cliCommon } = common;
await buildCli({
  ...cliCommon,
  external: [...common.external, ...LAZY],
  // Compiling the bundle is the largest cost of a start (V8's wrapSafe); whitespace and syntax
  // minified, names kept so that --debug stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [serverAsLibrary],
  define: { ...common.define, "import.meta.url": "__importMetaUrl" },
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
