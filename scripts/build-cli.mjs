// Builds the CLI as two CommonJS files, each with its own hash (bin/opcli keys a V8 code cache
// by it):
// - dist/opcli.cjs: what `opcli --info` (warm model cache), --version and argv errors run: the
//   argv parser, the model cache, the info printer (main.ts and its static imports);
// - dist/opcli-lazy.cjs: every module the CLI imports with import() (HTTP, auth, output tables,
//   help, the model compiler, ...), loaded on the first such import.
// Measured (warm --info on the Janssen document, bin/opcli's own time from its first line to the
// answer, Node 20): 5.7 ms with one 242 KB file, 4.2 ms with the 71 KB first file (and the
// smaller model cache file, src/spec/model-cache.ts).
// esbuild splits only ESM, so the CLI is built as ESM with splitting, every import() of a CLI
// module pointed at one virtual module (so one lazy chunk), and each chunk then transformed to
// CommonJS: Node's ESM loader costs ~7 ms per start (see build.mjs).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { build, transform } from "esbuild";

const LAZY_MODULE = "opcli:lazy";
/** The lazy chunk's name in dist/ (chunkNames "opcli-[name]" of the virtual module "lazy"). */
const LAZY_FILE = "opcli-lazy";
const DYNAMIC_IMPORT = /\bimport\((["'])(\.{1,2}\/[^"']+)\1\)/g;

/** The CLI modules imported with import() anywhere in the CLI's graph (paths as esbuild's metafile gives them). */
async function dynamicTargets(options) {
  const { metafile } = await build({ ...options, write: false, metafile: true, logLevel: "silent" });
  const targets = new Set();
  for (const input of Object.values(metafile.inputs))
    for (const imp of input.imports)
      if (imp.kind === "dynamic-import" && !imp.external) targets.add(imp.path);
  return targets;
}

/** An export name for a module path: src/cli/commands/context.ts -> m_src_cli_commands_context_ts. */
const keyOf = (path) => `m_${path.replace(/[^A-Za-z0-9]/g, "_")}`;

/** Each import("./x.js") of a CLI module becomes a property of the one lazy module. */
function oneLazyChunk(targets) {
  const cwd = process.cwd();
  return {
    name: "one-lazy-chunk",
    setup(b) {
      b.onLoad({ filter: /\/src\/.*\.ts$/ }, (args) => {
        const text = readFileSync(args.path, "utf8");
        let changed = false;
        const contents = text.replace(DYNAMIC_IMPORT, (all, _q, spec) => {
          const target = relative(cwd, resolve(dirname(args.path), spec.replace(/\.js$/, ".ts")));
          if (!targets.has(target)) return all;
          changed = true;
          return `import(${JSON.stringify(LAZY_MODULE)}).then((m) => m.${keyOf(target)})`;
        });
        return changed ? { contents, loader: "ts" } : undefined;
      });
      b.onResolve({ filter: /^opcli:lazy$/ }, () => ({ path: "lazy", namespace: "opcli-lazy" }));
      b.onLoad({ filter: /.*/, namespace: "opcli-lazy" }, () => ({
        contents: [...targets]
          .map((t) => `export * as ${keyOf(t)} from ${JSON.stringify(resolve(t))};`)
          .join("\n"),
        resolveDir: cwd,
        loader: "js",
      }));
    },
  };
}

// Strict as the ES modules they were; import() through the loader bin/opcli passes in (code
// compiled by vm.Script can import() only through an experimental option on Node 20, which warns),
// and the lazy file through its code-cache loader too. Loaded by a plain require, both fall back.
const BANNER = [
  '"use strict";',
  "const __importMetaUrl=require('node:url').pathToFileURL(__filename).href;",
  'var __opcliImport=typeof __opcliImportFromLoader==="function"?__opcliImportFromLoader:(s)=>import(s);',
  'var __opcliRequire=typeof __opcliRequireFromLoader==="function"?__opcliRequireFromLoader:require;',
  "var __opcliLazy=(s)=>Promise.resolve().then(()=>__opcliRequire(s));",
].join("");

/** CommonJS text of one ESM file, with its imports of the other file and of packages routed. */
async function toCommonJs(esm, name) {
  const { code, map } = await transform(esm, {
    format: "cjs",
    loader: "js",
    target: "node20",
    platform: "node",
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: "external",
    sourcefile: name.replace(/\.cjs$/, ".js"),
    banner: BANNER,
  });
  // The exports object itself (its getters are live bindings already): __toCommonJS copied them
  // all into a second object at every start.
  const exported = code.replace(
    /\bmodule\.exports=__toCommonJS\((\w+)\);/,
    'module.exports=__defProp($1,"__esModule",{value:!0});',
  );
  if (exported === code) throw new Error(`${name}: no module.exports=__toCommonJS(...) to replace`);
  const routed = exported
    .replaceAll(`import("./${LAZY_FILE}.js")`, `__opcliLazy("./${LAZY_FILE}.cjs")`)
    .replace(/\brequire\("\.\/opcli[\w-]*\.js"\)/g, '__opcliRequire("./opcli.cjs")')
    .replace(/\bimport\((?=["'])/g, "__opcliImport(");
  if (/\bimport\(["']|["']\.\/opcli[\w-]*\.js["']/.test(routed))
    throw new Error(`${name}: import rewrite failed`);
  return { code: `${routed}//# sourceMappingURL=${name}.map\n`, map };
}

/**
 * esbuild puts the code both files use in a chunk of its own (it does not know that the lazy
 * file loads only after the first); that chunk and the entry are bundled again into one file.
 */
async function firstFile(files, options) {
  const entry = [...files.keys()].filter((k) => k !== `./${LAZY_FILE}.js`);
  const { outputFiles } = await build({
    stdin: {
      contents: entry.map((k) => `export * from ${JSON.stringify(k)};`).join("\n"),
      resolveDir: "dist",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    target: options.target,
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: "inline",
    write: false,
    logLevel: options.logLevel,
    plugins: [
      {
        name: "esm-files",
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) =>
            args.path !== `./${LAZY_FILE}.js` && files.has(args.path)
              ? { path: args.path, namespace: "esm-files" }
              : { path: args.path, external: true },
          );
          b.onLoad({ filter: /.*/, namespace: "esm-files" }, (args) => ({
            contents: files.get(args.path),
            resolveDir: "dist",
            loader: "js",
          }));
        },
      },
    ],
  });
  return outputFiles[0].text;
}

/** Builds dist/opcli.cjs and dist/opcli-lazy.cjs (with .hash and .map files) from src/cli/main.ts. */
export async function buildCli(options) {
  const cli = { ...options, entryPoints: { opcli: "src/cli/main.ts" }, format: "esm", outdir: "dist" };
  const targets = await dynamicTargets(cli);
  const { outputFiles } = await build({
    ...cli,
    splitting: true,
    chunkNames: "opcli-[name]",
    sourcemap: "inline",
    write: false,
    plugins: [...(cli.plugins ?? []), oneLazyChunk(targets)],
  });
  const files = new Map(outputFiles.map((f) => [`./${relative("dist", f.path)}`, f.text]));
  // The entry, the lazy chunk and the chunk of what both use: any other chunk is an import() the
  // rewrite missed, which would end up in the first file.
  const expected = ["./opcli.js", `./${LAZY_FILE}.js`, "./opcli-chunk.js"];
  const made = [...files.keys()];
  if (!files.has("./opcli.js") || !files.has(`./${LAZY_FILE}.js`) || made.some((f) => !expected.includes(f)))
    throw new Error(`the CLI build made ${made.join(", ")}, not ${expected.join(", ")}`);
  const out = { opcli: await firstFile(files, cli), [LAZY_FILE]: files.get(`./${LAZY_FILE}.js`) };
  for (const [base, esm] of Object.entries(out)) {
    const name = `${base}.cjs`;
    const { code, map } = await toCommonJs(esm, name);
    writeFileSync(`dist/${name}`, code);
    writeFileSync(`dist/${name}.map`, map);
    // bin/opcli keys its V8 code cache by this hash, so that it never needs node:crypto at start.
    writeFileSync(`dist/${name}.hash`, `${createHash("sha256").update(code).digest("hex").slice(0, 32)}\n`);
  }
}
