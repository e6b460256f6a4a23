import { basename, dirname, extname, join } from "node:path";
import { type Env, xdgDataHome } from "../../platform/paths.js";

/** opcli-server's own data directory: `$XDG_DATA_HOME/opcli-server` (never the CLI's demo store). */
export function serverDataDir(env: Env = process.env): string {
  return join(xdgDataHome(env), "opcli-server");
}

export function defaultDbPath(env: Env = process.env): string {
  return join(serverDataDir(env), "server.db");
}

/** The CLI's embedded default keeps its own store: `$XDG_DATA_HOME/opcli/server.db`. */
export function embeddedDbPath(env: Env = process.env): string {
  return join(xdgDataHome(env), "opcli", "server.db");
}

/** A file that belongs to one store, beside it: `admin-client.json` for server.db, `NAME-admin-client.json` for NAME.db. */
function besideStore(dbPath: string, file: string): string {
  const stem = basename(dbPath, extname(dbPath));
  return join(dirname(dbPath), stem === "server" ? file : `${stem}-${file}`);
}

/** The provisioned admin client's credentials, mode 0600. */
export function adminCredentialsPath(dbPath: string): string {
  return besideStore(dbPath, "admin-client.json");
}

/** The demo users' names and their (random) password, mode 0600. */
export function demoUsersPath(dbPath: string): string {
  return besideStore(dbPath, "demo-users.json");
}
