import type BetterSqlite3 from "better-sqlite3";
import { lazyRequire } from "../../../platform/lazy-require.js";
import { loadNodeSqlite, openNodeSqlite } from "./node-driver.js";
import type { SqlDatabase } from "./sql-database.js";

export type SqliteDriverName = "node:sqlite" | "better-sqlite3";

/** Neither driver can be loaded: the CLI without a compiler on Node 20. */
export class SqliteDriverMissing extends Error {
  override name = "SqliteDriverMissing";
}

export const DRIVER_MISSING =
  "no SQLite driver: use Node.js 22.16 or later (node:sqlite is built in), or install better-sqlite3 beside opcli (npm install -g better-sqlite3; it compiles)";

/**
 * node:sqlite when this Node has a complete one (22.16+, 24), else better-sqlite3; `wanted`
 * (OPCLI_SQLITE_DRIVER) forces one. Undefined when none is available.
 */
export function chooseDriver(
  wanted: string | undefined,
  has: Record<SqliteDriverName, boolean>,
): SqliteDriverName | undefined {
  if (wanted === "node:sqlite" || wanted === "better-sqlite3") return has[wanted] ? wanted : undefined;
  if (has["node:sqlite"]) return "node:sqlite";
  return has["better-sqlite3"] ? "better-sqlite3" : undefined;
}

function loadBetterSqlite3(): typeof BetterSqlite3 | undefined {
  try {
    return lazyRequire("better-sqlite3") as typeof BetterSqlite3;
  } catch {
    return undefined;
  }
}

function openBetter(better: typeof BetterSqlite3, path: string): SqlDatabase {
  try {
    // better-sqlite3's Database is the shape SqlDatabase describes (its generics aside).
    return new better(path) as unknown as SqlDatabase;
  } catch (err) {
    // Its binary loads at the first open: one built for another Node (after an upgrade) fails here.
    if ((err as NodeJS.ErrnoException).code === "ERR_DLOPEN_FAILED")
      throw new SqliteDriverMissing(
        `better-sqlite3 was built for another Node.js version than ${process.versions.node}: rebuild it (npm rebuild better-sqlite3), or use Node.js 22.16 or later (node:sqlite)`,
      );
    throw err;
  }
}

/** Opens `path` with the chosen driver; throws SqliteDriverMissing when there is none. */
export function openDatabase(path: string, wanted?: string): { db: SqlDatabase; driver: SqliteDriverName } {
  if (wanted !== undefined && wanted !== "" && wanted !== "node:sqlite" && wanted !== "better-sqlite3")
    throw new SqliteDriverMissing(
      `unknown SQLite driver "${wanted}" in OPCLI_SQLITE_DRIVER (node:sqlite or better-sqlite3)`,
    );
  const nodeSqlite = wanted === "better-sqlite3" ? undefined : loadNodeSqlite();
  // better-sqlite3 is looked for only when it is needed: it is a native module.
  const better = nodeSqlite && wanted !== "better-sqlite3" ? undefined : loadBetterSqlite3();
  const driver = chooseDriver(wanted || undefined, {
    "node:sqlite": nodeSqlite !== undefined,
    "better-sqlite3": better !== undefined,
  });
  if (driver === "node:sqlite" && nodeSqlite) return { db: openNodeSqlite(nodeSqlite, path), driver };
  if (driver === "better-sqlite3" && better) return { db: openBetter(better, path), driver };
  throw new SqliteDriverMissing(
    wanted
      ? `the SQLite driver ${wanted} (OPCLI_SQLITE_DRIVER) is not available on Node ${process.versions.node}`
      : DRIVER_MISSING,
  );
}
