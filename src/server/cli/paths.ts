import { dirname, join } from "node:path";
import { type Env, xdgDataHome } from "../../platform/paths.js";

/** `$XDG_DATA_HOME/opcli`, else `~/.local/share/opcli`. */
export function dataDir(env: Env = process.env): string {
  return join(xdgDataHome(env), "opcli");
}

export function defaultDbPath(env: Env = process.env): string {
  return join(dataDir(env), "server.db");
}

/** The provisioned admin client's credentials live beside the database, mode 0600. */
export function adminCredentialsPath(dbPath: string): string {
  return join(dirname(dbPath), "admin-client.json");
}
