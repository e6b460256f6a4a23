import { statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "./errors.js";

/** Settings from `$XDG_CONFIG_HOME/opcli/config.json` (profiles arrive with the token issue). */
export interface FileConfig {
  host?: string;
  spec?: string;
  clientId?: string;
  clientSecret?: string;
  tokenUrl?: string;
}

export function configPath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "opcli", "config.json");
}

const KEYS = new Set(["host", "spec", "clientId", "clientSecret", "tokenUrl"]);

export function readConfigFile(
  env: Record<string, string | undefined>,
  readFile: (p: string) => string,
): FileConfig {
  const path = env.OPCLI_CONFIG || configPath(env);
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return {};
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new ConfigError(`${path} must hold a JSON object`);
  const cfg: FileConfig = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (!KEYS.has(k)) throw new ConfigError(`${path}: unknown setting "${k}"`);
    if (typeof v !== "string") throw new ConfigError(`${path}: "${k}" must be a string`);
    cfg[k as keyof FileConfig] = v;
  }
  // A secret in a file others can read is refused rather than used.
  if (cfg.clientSecret && (statSync(path).mode & 0o077) !== 0) {
    throw new ConfigError(`${path} holds a client secret but is readable by others; run chmod 600 ${path}`);
  }
  return cfg;
}
