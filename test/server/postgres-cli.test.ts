import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Cluster, pgCtl, startCluster, stopCluster } from "../../scripts/pg-cluster.mjs";
import { PG_MIGRATIONS } from "../../src/server/store/postgres/migrations.js";
import { createTestDatabase, pgQuery } from "../helpers/postgres.js";
import { adminToken, type RunningServer, SERVER_BIN, startPgServer } from "../helpers/spawn-server.js";

// opcli-server's own commands on PostgreSQL: migrate, start-up retry, clear refusals.

const running: RunningServer[] = [];
const clusters: Cluster[] = [];
afterAll(async () => {
  for (const s of running) await s.stop("SIGKILL");
  for (const c of clusters) stopCluster(c.dir);
});

function serverCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [SERVER_BIN, ...args], {
      env: { ...process.env, XDG_DATA_HOME: mkdtempSync(join(tmpdir(), "opcli-pgcli-")), ...env },
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => {
      stdout += d;
    });
    p.stderr.on("data", (d) => {
      stderr += d;
    });
    p.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe("opcli-server on PostgreSQL", () => {
  it("three `migrate` runs at once: all succeed, each migration applied once", async () => {
    const url = await createTestDatabase();
    const runs = await Promise.all([1, 2, 3].map(() => serverCli(["migrate", "--store", url])));
    for (const r of runs) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ store: "postgresql", migrated: true });
    }
    const rows = await pgQuery(url, "SELECT version FROM schema_migrations ORDER BY version");
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
    const indexes = await pgQuery(url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'sessions_text'");
    expect(String(indexes[0]?.indexdef)).toMatch(/USING gin \(search_text gin_trgm_ops\)/);
  });

  it("an unreachable database: one line, exit 3, no password, after the retry window", async () => {
    const port = await freePort();
    const started = Date.now();
    const r = await serverCli(["migrate", "--store-connect-retry", "1"], {
      OPCLI_STORE: `postgresql://opcli:s3cret-pw@127.0.0.1:${port}/opcli`,
    });
    expect(r.code).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^opcli-server: cannot open the store postgresql:\/\/opcli:\*\*\*@127\.0\.0\.1:\d+\/opcli: /,
    );
    expect(r.stderr).not.toContain("s3cret-pw");
  });

  it("a server started before its database waits for it (--store-connect-retry)", async () => {
    const pgc = await startCluster();
    clusters.push(pgc);
    pgCtl(pgc, "stop");
    const dir = mkdtempSync(join(tmpdir(), "opcli-pgwait-"));
    const starting = startPgServer(pgc.url, dir, { passwordHashCost: 1024 }, ["--store-connect-retry", "20"]);
    await new Promise((r) => setTimeout(r, 1200));
    pgCtl(pgc, "start");
    const s = await starting;
    running.push(s);
    const health = (await (
      await fetch(`${s.url}/health`, { headers: { authorization: `Bearer ${await adminToken(s)}` } })
    ).json()) as { store: string; status: string };
    expect(health).toMatchObject({ store: "postgresql", status: "ok" });
    expect(s.logs()).not.toMatch(/"level":"error"/);
  });

  it("--store with a password in it is refused before anything is opened (exit 2)", () => {
    const r = spawnSync(
      process.execPath,
      [SERVER_BIN, "migrate", "--store", "postgresql://u:pw-in-argv@h/db"],
      {
        encoding: "utf8",
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/process list/);
    expect(r.stderr).not.toContain("pw-in-argv");
  });
});
