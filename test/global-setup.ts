import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { stopCluster } from "../scripts/pg-cluster.mjs";

// The run owns the PostgreSQL cluster its workers start: one shared cluster, started lazily by the
// first worker that needs it inside this run's directory, and stopped here when the run ends.

declare module "vitest" {
  export interface ProvidedContext {
    pgRunDir: string;
  }
}

/** Stops every cluster started under dir (each has a postmaster.pid), then removes dir. */
export function stopClustersUnder(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const d = join(dir, entry);
    if (existsSync(join(d, "postmaster.pid")) || existsSync(join(d, "PG_VERSION"))) stopCluster(d);
  }
  rmSync(dir, { recursive: true, force: true });
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "opcli-test-pg-"));
  // initdb runs as the postgres user under root: it must reach the cluster directory inside.
  chmodSync(dir, 0o711);
  project.provide("pgRunDir", dir);
  return () => stopClustersUnder(dir);
}
