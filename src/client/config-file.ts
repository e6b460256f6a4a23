import { statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../platform/atomic-write.js";
import { ConfigError } from "../platform/errors.js";
import { type Env, xdgConfigHome } from "../platform/paths.js";

/** One profile's settings; the file's top level is the base every profile starts from. */
export interface Profile {
  host?: string;
  spec?: string;
  clientId?: string;
  /** A secret in the file itself (the file must then be 0600). */
  clientSecret?: string;
  /** `env:NAME` or `keychain:NAME`: where the secret really lives. */
  clientSecretRef?: string;
  tokenUrl?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecure?: boolean;
  tokenStore?: string;
}

export interface ConfigFile extends Profile {
  defaultProfile?: string;
  profiles?: Record<string, Profile>;
}

export const PROFILE_KEYS: Readonly<Record<keyof Profile, "string" | "boolean">> = {
  host: "string",
  spec: "string",
  clientId: "string",
  clientSecret: "string",
  clientSecretRef: "string",
  tokenUrl: "string",
  caFile: "string",
  certFile: "string",
  keyFile: "string",
  insecure: "boolean",
  tokenStore: "string",
};

export function configPath(env: Env): string {
  if (env.OPCLI_CONFIG) return env.OPCLI_CONFIG;
  return join(xdgConfigHome(env), "opcli", "config.json");
}

const TOKEN_STORES = ["auto", "keychain", "file", "none"];

/** Why a setting's value is unusable, or undefined when it is fine (same rules for the file and `config set`). */
export function settingProblem(key: string, value: unknown): string | undefined {
  const type = PROFILE_KEYS[key as keyof Profile];
  if (typeof value !== type) return `must be a ${type}`;
  const v = value as string;
  if (key === "tokenStore" && !TOKEN_STORES.includes(v))
    return `must be one of ${TOKEN_STORES.join(", ")}, not "${v}"`;
  if (key === "clientSecretRef" && !/^(env|keychain):[^:\s]+$/.test(v))
    return `must be env:NAME or keychain:NAME, not "${v}"`;
  if ((key === "host" || key === "tokenUrl") && !/^(https?:\/\/)?[A-Za-z0-9.-]+(:\d+)?(\/\S*)?$/.test(v))
    return `must be a URL or a host name, not "${v}"`;
  return undefined;
}

function checkProfile(path: string, where: string, p: unknown): Profile {
  if (typeof p !== "object" || p === null || Array.isArray(p))
    throw new ConfigError(`${path}: ${where ? where.trim() : "the top level"} must be a JSON object`);
  for (const [k, v] of Object.entries(p)) {
    if (!Object.hasOwn(PROFILE_KEYS, k)) throw new ConfigError(`${path}: unknown setting "${k}"${where}`);
    const problem = settingProblem(k, v);
    if (problem) throw new ConfigError(`${path}: "${k}"${where} ${problem}`);
  }
  return p as Profile;
}

function holdsSecret(cfg: ConfigFile): boolean {
  return Boolean(cfg.clientSecret || Object.values(cfg.profiles ?? {}).some((p) => p.clientSecret));
}

/** Reads and validates the config file; a missing file is an empty config. */
export function readConfigFile(
  env: Record<string, string | undefined>,
  readFile: (p: string) => string,
): ConfigFile {
  const path = configPath(env);
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
    // Never the parser's message: it quotes the text around the error, which may be a secret.
    throw new ConfigError(`${path} is not valid JSON (${jsonErrorPlace(text, err as Error)})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new ConfigError(`${path} must hold a JSON object`);
  const { defaultProfile, profiles, ...base } = parsed as Record<string, unknown>;
  const cfg: ConfigFile = checkProfile(path, "", base);
  if (defaultProfile !== undefined) {
    if (typeof defaultProfile !== "string")
      throw new ConfigError(`${path}: "defaultProfile" must be a string`);
    cfg.defaultProfile = defaultProfile;
  }
  if (profiles !== undefined) {
    if (typeof profiles !== "object" || profiles === null || Array.isArray(profiles))
      throw new ConfigError(`${path}: "profiles" must be an object of named profiles`);
    cfg.profiles = Object.fromEntries(
      Object.entries(profiles).map(([name, p]) => [name, checkProfile(path, ` in profile "${name}"`, p)]),
    );
  }
  // A secret in a file others can read is refused rather than used.
  if (holdsSecret(cfg) && (statSync(path).mode & 0o077) !== 0) {
    throw new ConfigError(`${path} holds a client secret but is readable by others; run chmod 600 ${path}`);
  }
  return cfg;
}

/** The effective settings: the base, overlaid with the chosen (or default) profile. */
export function selectProfile(cfg: ConfigFile, name: string | undefined): Profile & { profileName?: string } {
  const chosen = name ?? cfg.defaultProfile;
  const { defaultProfile: _d, profiles, ...base } = cfg;
  if (!chosen) return base;
  const p = profiles?.[chosen];
  if (!p) {
    const known = Object.keys(profiles ?? {});
    throw new ConfigError(
      `no profile "${chosen}" in the config file${known.length ? ` (have: ${known.join(", ")})` : ""}`,
    );
  }
  return { ...base, ...p, profileName: chosen };
}

/** Line and column of a JSON syntax error, from the offset V8 reports; nothing of the text. */
/**
 * Where JSON.parse fails when its message does not say ("Unexpected token 'x', ... is not valid
 * JSON", "Unexpected end of JSON input"): the end of the longest prefix that still parses as a
 * beginning. Config files are small; this runs only on a broken one.
 */
function errorOffset(text: string): number {
  for (let p = 1; p <= Math.min(text.length, 100_000); p++) {
    try {
      JSON.parse(text.slice(0, p));
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      const at = m ? Number(m[1]) : /end of JSON input/.test((err as Error).message) ? p : -1;
      if (at < p) return at >= 0 ? at : p - 1;
    }
  }
  return text.length;
}

function jsonErrorPlace(text: string, err: Error): string {
  const m = /position (\d+)/.exec(err.message);
  const at = Math.min(m ? Number(m[1]) : errorOffset(text), text.length);
  const before = text.slice(0, at).split("\n");
  return `syntax error at line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/** Writes the config atomically with mode 0600 (it may hold secrets). */
export function writeConfigFile(env: Record<string, string | undefined>, cfg: ConfigFile): string {
  const path = configPath(env);
  writeFileAtomic(path, `${JSON.stringify(cfg, null, 2)}\n`, 0o600);
  return path;
}

const nonEmpty = (v: string | undefined) => (v === "" ? undefined : v);

/** Only what loading the document needs (for --info and --schema): no credentials are read. */
export function specSetting(
  opts: { spec?: string; profile?: string },
  io: { env: Env; readFile: (p: string) => string },
): string | undefined {
  const profile = selectProfile(
    readConfigFile(io.env, io.readFile),
    opts.profile ?? nonEmpty(io.env.OPCLI_PROFILE),
  );
  return opts.spec ?? nonEmpty(io.env.OPCLI_SPEC) ?? profile.spec;
}
