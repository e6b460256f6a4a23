#!/usr/bin/env node
// A throwaway PostgreSQL cluster for tests and benchmarks: initdb into a fresh directory (as the
// postgres user when run as root, since initdb refuses root), started on 127.0.0.1 at a free
// port with durability off. Usage: node scripts/pg-cluster.mjs start  (prints URL and DIR)
//                                   node scripts/pg-cluster.mjs stop DIR
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The newest installed server's bin directory (Debian: /usr/lib/postgresql/NN/bin), or null. */
export function postgresBinDir() {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function asOwner(bin, args) {
  const isRoot = process.getuid?.() === 0;
  const [cmd, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const r = spawnSync(cmd, argv, { encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(`${bin.split("/").pop()} failed: ${(r.stderr || r.stdout || "").trim()}`);
  return r.stdout;
}

/** Starts a cluster; resolves to { url, dir, port, bin }. Settings are for tests: fast, not durable. */
export async function startCluster(opts = {}) {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL server binaries not found (apt-get install postgresql)");
  const dir = mkdtempSync(join(opts.parent ?? tmpdir(), "opcli-pg-"));
  if (process.getuid?.() === 0)
    chownSync(dir, Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })), 0);
  asOwner(join(bin, "initdb"), [
    "-D",
    dir,
    "-U",
    "postgres",
    "-A",
    "trust",
    "--no-sync",
    "-E",
    "UTF8",
    "--locale=C",
  ]);
  const port = opts.port ?? (await freePort());
  const settings = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-k ${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=300",
    ...(opts.settings ?? []),
  ].join(" ");
  asOwner(join(bin, "pg_ctl"), ["-D", dir, "-l", join(dir, "log"), "-w", "-o", settings, "start"]);
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, dir, port, bin, settings };
}

/** Stops (fast: connections are terminated) or starts again a cluster made by startCluster. */
export function pgCtl(cluster, action) {
  const ctl = join(cluster.bin, "pg_ctl");
  if (action === "stop") asOwner(ctl, ["-D", cluster.dir, "-m", "fast", "-w", "stop"]);
  else
    asOwner(ctl, ["-D", cluster.dir, "-l", join(cluster.dir, "log"), "-w", "-o", cluster.settings, "start"]);
}

export function stopCluster(dir, { remove = true } = {}) {
  const bin = postgresBinDir();
  if (bin && existsSync(join(dir, "postmaster.pid"))) {
    try {
      asOwner(join(bin, "pg_ctl"), ["-D", dir, "-m", "immediate", "-w", "stop"]);
    } catch {}
  }
  if (remove) rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd, dir] = process.argv.slice(2);
  if (cmd === "start") {
    const c = await startCluster();
    console.log(`URL=${c.url}\nDIR=${c.dir}`);
  } else if (cmd === "stop" && dir) {
    stopCluster(dir);
  } else {
    console.error("usage: pg-cluster.mjs start | stop DIR");
    process.exit(2);
  }
}
