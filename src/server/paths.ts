import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** `$XDG_DATA_HOME/opcli`, else `~/.local/share/opcli`. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), ".local", "share");
  return join(base, "opcli");
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), "server.db");
}

/** The provisioned admin client's credentials live beside the database, mode 0600. */
export function adminCredentialsPath(dbPath: string): string {
  return join(dirname(dbPath), "admin-client.json");
}
