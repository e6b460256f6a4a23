import { homedir } from "node:os";
import { join } from "node:path";

// The XDG base directories, in one place. Each falls back to the specification's default under
// $HOME (the OS home directory when HOME is unset).

export type Env = Record<string, string | undefined>;

const home = (env: Env) => env.HOME || homedir();

export function xdgConfigHome(env: Env): string {
  return env.XDG_CONFIG_HOME || join(home(env), ".config");
}

export function xdgCacheHome(env: Env): string {
  return env.XDG_CACHE_HOME || join(home(env), ".cache");
}

export function xdgDataHome(env: Env): string {
  return env.XDG_DATA_HOME || join(home(env), ".local", "share");
}
