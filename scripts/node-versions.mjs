// The CLI and server suites again under Node 22 and 24 (Node 20 is what the machine has; users
// run 22 and 24): Node from the npm registry's `node` package (node@22, node@24), a copy of this
// checkout beside a link to ../shared, better-sqlite3 rebuilt there for that Node's ABI against
// the headers the package ships, then vitest run by that Node. The store uses node:sqlite there
// and better-sqlite3 only where a test asks for it. Any failure to set up counts as a failure.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...opts });
  return r.status ?? 1;
}

/** node@MAJOR from npm into PREFIX: its bin directory and its headers, or undefined. */
export function installNode(major, prefix) {
  if (run("npm", ["i", "--prefix", prefix, `node@${major}`, "--no-audit", "--no-fund", "--silent"]) !== 0)
    return undefined;
  const pkg = join(prefix, "node_modules", "node");
  return {
    bin: join(pkg, "bin"),
    headers: join(pkg, "node_modules", `node-${process.platform}-${process.arch}`),
  };
}

export function runUnderNode(major, counts) {
  const work = mkdtempSync(join(tmpdir(), `opcli-node${major}-`));
  console.log(`\n::: CLI and server suites again under Node ${major}`);
  const node = installNode(major, join(work, "node"));
  if (!node) return { passed: 0, failed: 1, why: `npm could not install node@${major}` };
  // The copy sits beside a link to ../shared, as the tests expect.
  const copy = join(work, "repo", "main");
  mkdirSync(copy, { recursive: true });
  symlinkSync(realpathSync(join(root, "..", "shared")), join(work, "repo", "shared"));
  for (const entry of [
    "bin",
    "dist",
    "node_modules",
    "spec",
    "src",
    "test",
    "scripts",
    "package.json",
    "tsconfig.json",
    "vitest.config.ts",
  ])
    if (existsSync(join(root, entry)))
      cpSync(join(root, entry), join(copy, entry), { recursive: true, verbatimSymlinks: true });
  const env = { ...process.env, PATH: `${node.bin}:${process.env.PATH}` };
  if (
    run("npm", ["rebuild", "better-sqlite3", `--nodedir=${node.headers}`], {
      cwd: copy,
      env,
      stdio: ["ignore", "ignore", "inherit"],
    }) !== 0
  )
    return { passed: 0, failed: 1, why: `better-sqlite3 did not build for Node ${major}` };
  const out = join(work, `node${major}.json`);
  const version = spawnSync(join(node.bin, "node"), ["--version"], { encoding: "utf8" }).stdout.trim();
  console.log(`::: ${version}`);
  const status = run(
    join(node.bin, "node"),
    [
      join("node_modules", ".bin", "vitest"),
      "run",
      "test/cli",
      "test/server",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${out}`,
    ],
    { cwd: copy, env },
  );
  const c = counts(out);
  if (status !== 0 && c.failed === 0) c.failed = 1;
  return c;
}
