import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import { startCluster } from "../../scripts/pg-cluster.mjs";

// One cluster per test run, whichever worker asks first: the first takes the lock (an atomic
// mkdir) and starts it under the run's directory; the others wait for its URL. The global
// teardown (test/global-setup.ts) stops it.

type Outcome = { url: string } | { error: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readOutcome(file: string): Outcome | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Outcome;
  } catch {
    return undefined;
  }
}

async function start(runDir: string): Promise<Outcome> {
  try {
    return { url: (await startCluster({ parent: runDir })).url };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

async function waitFor(file: string): Promise<Outcome | undefined> {
  const deadline = Date.now() + 60_000;
  for (let o = readOutcome(file); Date.now() < deadline; o = readOutcome(file)) {
    if (o) return o;
    await sleep(100);
  }
  return undefined;
}

/** The URL of this run's cluster, started on first use. */
export async function sharedClusterUrl(): Promise<string> {
  const runDir = inject("pgRunDir");
  const file = join(runDir, "cluster.json");
  let outcome: Outcome | undefined;
  try {
    mkdirSync(join(runDir, "lock"));
    outcome = await start(runDir);
    writeFileSync(`${file}.tmp`, JSON.stringify(outcome));
    renameSync(`${file}.tmp`, file); // atomic: a waiting worker never reads half a file
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    outcome = await waitFor(file);
  }
  if (!outcome) throw new Error("timed out waiting for another worker to start PostgreSQL");
  if ("error" in outcome) throw new Error(outcome.error);
  return outcome.url;
}
