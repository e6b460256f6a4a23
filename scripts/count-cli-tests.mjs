#!/usr/bin/env node
// Counts the CLI test cases by how they run opcli: in process (runInProcess, or runOpcli in its
// in-process mode) or spawned (runOpcli, runOpcliInPty, a spawn of bin/opcli), and prints the
// in-process share. Static: an it()/test() block counts once (it.each as one), and a block is a
// CLI test when its body reaches one of those calls, directly or through helpers of its file or
// of test/helpers. A block that reaches both counts as spawned.
// Usage: node scripts/count-cli-tests.mjs [--files] [--min PERCENT] [dir]; with --min, exits 1
// when the in-process share is below it (CI keeps it above half).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const argv = process.argv.slice(2);
const minAt = argv.indexOf("--min");
const min = minAt >= 0 ? Number(argv[minAt + 1]) : undefined;
const root = argv.find((a, i) => !a.startsWith("--") && (minAt < 0 || i !== minAt + 1)) ?? "test";
const listFiles = argv.includes("--files");

/** Calls that run opcli directly; `inProcess` is decided per call by its options. */
const DIRECT = { runInProcess: "in", runOpcliInPty: "spawned", OPCLI_BIN: "spawned" };

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

function parse(file) {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

/** it, it.each(table), test.concurrent: the name the call chain starts from. */
const calleeName = (expr) =>
  ts.isIdentifier(expr)
    ? expr.text
    : ts.isPropertyAccessExpression(expr) || ts.isCallExpression(expr)
      ? calleeName(expr.expression)
      : undefined;

/** A runOpcli(args, { inProcess: true, ... }) call, or one through a wrapper that sets it. */
function runOpcliMode(call) {
  const opts = call.arguments[1];
  if (opts && /\binProcess\s*:\s*true\b/.test(opts.getText())) return "in";
  return "spawned";
}

/** The modes (a set of "in"/"spawned") a node reaches, given what named functions reach. */
function modesOf(node, named) {
  const found = new Set();
  const visit = (n) => {
    if (ts.isCallExpression(n)) {
      const name = calleeName(n.expression);
      if (name === "runOpcli") found.add(runOpcliMode(n));
      else if (name && DIRECT[name]) found.add(DIRECT[name]);
      else if (name && named.has(name)) for (const m of named.get(name)) found.add(m);
    }
    if (ts.isIdentifier(n) && n.text === "OPCLI_BIN") found.add("spawned");
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/** name -> body of every function declaration or function-valued const in a file. */
function functionsOf(sf) {
  const fns = new Map();
  const visit = (n) => {
    if (ts.isFunctionDeclaration(n) && n.name && n.body) fns.set(n.name.text, n.body);
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer &&
      (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))
    )
      fns.set(n.name.text, n.initializer.body);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return fns;
}

/** What each function reaches, to a fixed point, starting from what is already known. */
function resolve(fns, known) {
  const named = new Map(known);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, body] of fns) {
      const before = named.get(name)?.size ?? 0;
      const modes = modesOf(body, named);
      if (modes.size > before) {
        named.set(name, modes);
        changed = true;
      }
    }
  }
  return named;
}

const TEST_CALLS = new Set(["it", "test"]);

function testBlocks(sf) {
  const blocks = [];
  const visit = (n) => {
    if (ts.isCallExpression(n)) {
      const base = calleeName(n.expression);
      // it(...), it.each(...)(...), test.concurrent(...): the function argument is the body.
      const isTest = base && TEST_CALLS.has(base);
      const body = n.arguments.find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
      if (isTest && body && !ts.isCallExpression(n.parent)) {
        blocks.push(body);
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return blocks;
}

const helpers = walk(join(root, "helpers"));
let shared = new Map();
for (const f of helpers) shared = resolve(functionsOf(parse(f)), shared);
// The primitives themselves are not wrappers.
for (const k of ["runOpcli", "runInProcess", "runOpcliInPty"]) shared.delete(k);

const perFile = [];
for (const file of walk(root).filter((f) => f.endsWith(".test.ts"))) {
  const sf = parse(file);
  const named = resolve(functionsOf(sf), shared);
  let inProc = 0;
  let spawned = 0;
  for (const body of testBlocks(sf)) {
    const modes = modesOf(body, named);
    if (modes.has("spawned")) spawned++;
    else if (modes.has("in")) inProc++;
  }
  if (inProc + spawned) perFile.push({ file: relative(".", file), inProc, spawned });
}

const inProc = perFile.reduce((s, f) => s + f.inProc, 0);
const spawned = perFile.reduce((s, f) => s + f.spawned, 0);
if (listFiles)
  for (const f of perFile.sort((a, b) => a.file.localeCompare(b.file)))
    console.log(
      `${String(f.inProc).padStart(4)} in-process ${String(f.spawned).padStart(4)} spawned  ${f.file}`,
    );
const share = inProc + spawned ? (100 * inProc) / (inProc + spawned) : 0;
console.log(`CLI tests: ${inProc} in process, ${spawned} spawned, in-process share ${share.toFixed(1)}%`);
if (min !== undefined && !(share > min)) {
  console.log(`the in-process share is not above ${min}%: run CLI behaviour tests with runOpcliInProcess`);
  process.exit(1);
}
