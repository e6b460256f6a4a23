#!/usr/bin/env node
// Fails when an import in src/ goes against the layering (README, "Architecture") or closes a
// cycle. Every static import, re-export and dynamic import() with a relative specifier counts.
// Usage: node scripts/check-deps.mjs [ROOT]   (ROOT defaults to src/)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const root = resolve(process.argv[2] ?? "src");

// Each layer and the layers it may import. A file's layer is the longest prefix that matches.
const LAYERS = {
  "platform/": [],
  "shared/": [],
  "generated/": [],
  "spec/": ["platform/", "shared/"],
  "http/": ["spec/", "platform/", "shared/"],
  "output/": ["platform/"],
  "auth/": ["http/", "spec/", "platform/"],
  "client/": ["auth/", "http/", "spec/", "output/", "platform/", "shared/"],
  // cli/ starts the terminal UI for `opcli tui` (a lazy import); tui/ never reaches back into cli/.
  "cli/": ["tui/", "client/", "auth/", "http/", "spec/", "output/", "platform/", "shared/"],
  "tui/": ["client/", "auth/", "http/", "spec/", "output/", "platform/", "shared/"],
  "server/store/": ["platform/", "shared/"],
  "server/core/": ["server/store/", "platform/", "shared/"],
  "server/api/": [
    "server/core/",
    "server/store/types.ts",
    "server/store/query.ts",
    "platform/",
    "shared/",
    "generated/",
  ],
  // Composition roots: they wire the layers of the server together.
  "server/cli/": ["server/", "platform/", "shared/"],
  "server/app.ts": ["server/", "platform/", "shared/"],
  "server/index.ts": ["server/", "platform/", "shared/"],
};
// Single files allowed to cross a boundary, each with its reason.
const EXCEPTIONS = {
  // The embedded default runs the reference server in process, through its library entry only.
  "client/embedded.ts": ["server/index.ts"],
};

const layerOf = (file) =>
  Object.keys(LAYERS)
    .filter((p) => file === p || file.startsWith(p))
    .sort((a, b) => b.length - a.length)[0];

const allowed = (from, to) => {
  const fromLayer = layerOf(from);
  if (!fromLayer) return false;
  const sameLayer = layerOf(to) === fromLayer;
  const targets = [...LAYERS[fromLayer], ...(EXCEPTIONS[from] ?? [])];
  return sameLayer || targets.some((t) => to === t || to.startsWith(t));
};

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file) {
  const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, "");
  const out = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith(".")) continue;
    const target = resolve(dirname(file), spec).replace(/\.js$/, "");
    const hit = [".ts", ".tsx", "/index.ts"]
      .map((ext) => target + ext)
      .find((p) => {
        try {
          return statSync(p).isFile();
        } catch {
          return false;
        }
      });
    out.push({ spec, target: hit });
  }
  return out;
}

const files = walk(root);
const rel = (f) => relative(root, f).split("\\").join("/");
const graph = new Map();
const problems = [];
for (const file of files) {
  const from = rel(file);
  const edges = [];
  for (const { spec, target } of importsOf(file)) {
    if (!target) {
      problems.push(`${from}: cannot resolve "${spec}"`);
      continue;
    }
    const to = rel(target);
    edges.push(to);
    if (!layerOf(from))
      problems.push(`${from}: not in any layer (add it to LAYERS in scripts/check-deps.mjs)`);
    else if (!allowed(from, to))
      problems.push(`${from} -> ${to}: ${layerOf(from)} may not import ${layerOf(to) ?? to}`);
  }
  graph.set(from, edges);
}

// Cycles: strongly connected components of more than one file (or a file importing itself).
let index = 0;
const stack = [];
const meta = new Map();
function strong(v) {
  meta.set(v, { index, low: index, on: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!meta.has(w)) {
      strong(w);
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
    } else if (meta.get(w).on) meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
  }
  if (meta.get(v).low === meta.get(v).index) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      meta.get(w).on = false;
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v))
      problems.push(`import cycle: ${scc.sort().join(" <-> ")}`);
  }
}
for (const v of graph.keys()) if (!meta.has(v)) strong(v);

const edges = [...graph.values()].reduce((n, e) => n + e.length, 0);
if (problems.length > 0) {
  for (const p of [...new Set(problems)]) console.error(`dependency check: ${p}`);
  console.error(`${problems.length} problem(s) in ${files.length} files`);
  process.exit(1);
}
console.log(`dependencies point one way: ${files.length} files, ${edges} imports, no cycles`);
