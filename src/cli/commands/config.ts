import {
  type ConfigFile,
  configPath,
  PROFILE_KEYS,
  type Profile,
  readConfigFile,
  settingProblem,
  writeConfigFile,
} from "../../client/config-file.js";
import { writeKeychainSecret } from "../../client/secret-ref.js";
import { UsageError } from "../../platform/errors.js";
import { closest } from "../../platform/suggest.js";
import type { CliIO } from "../io.js";
import { ParsedArgs } from "../parse.js";
import { readSecretValue } from "../secret-input.js";

const SECRET_KEYS = new Set(["clientSecret"]);

function shown(p: Profile): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, SECRET_KEYS.has(k) ? "(set, hidden)" : v]));
}

function target(cfg: ConfigFile, profile: string | undefined): Profile {
  if (!profile) return cfg;
  cfg.profiles ??= {};
  cfg.profiles[profile] ??= {};
  return cfg.profiles[profile];
}

/** A client secret to the keychain when there is one (the file keeps a reference), else into the file. */
async function storeSecret(p: Profile, profile: string | undefined, value: string, io: CliIO): Promise<void> {
  const name = profile ?? "default";
  try {
    await writeKeychainSecret(name, value);
    delete p.clientSecret;
    p.clientSecretRef = `keychain:${name}`;
    io.stderr.write(`opcli: client secret stored in the OS keychain (clientSecretRef keychain:${name})\n`);
  } catch {
    io.stderr.write(
      "opcli: warning: no usable OS keychain; the client secret is kept in the config file (mode 0600)\n",
    );
    delete p.clientSecretRef;
    p.clientSecret = value;
  }
}

async function setKey(cfg: ConfigFile, profile: string | undefined, key: string, value: string, io: CliIO) {
  if (key === "defaultProfile") {
    cfg.defaultProfile = value;
    return;
  }
  const type = Object.hasOwn(PROFILE_KEYS, key) ? PROFILE_KEYS[key as keyof Profile] : undefined;
  if (!type) throw unknownKey(key);
  const p = target(cfg, profile);
  if (key === "clientSecret")
    return storeSecret(p, profile, await readSecretValue("clientSecret", value, io), io);
  const typed = type === "boolean" ? (value === "true" ? true : value === "false" ? false : value) : value;
  const problem = settingProblem(key, typed);
  if (problem) throw new UsageError(`${key} ${problem}`);
  (p as Record<string, unknown>)[key] = typed;
}

function unknownKey(key: string): UsageError {
  const keys = [...Object.keys(PROFILE_KEYS), "defaultProfile"];
  const near = closest(key, keys, 1)[0];
  return new UsageError(
    `unknown setting "${key}"${near ? ` (did you mean ${near}?)` : ""}; settings: ${keys.join(", ")}`,
  );
}

/** config unset KEY: removes a setting (and a clientSecret's keychain entry reference). */
function unsetKey(cfg: ConfigFile, profile: string | undefined, key: string): void {
  if (key === "defaultProfile") {
    delete cfg.defaultProfile;
    return;
  }
  if (!Object.hasOwn(PROFILE_KEYS, key)) throw unknownKey(key);
  const p = profile ? cfg.profiles?.[profile] : cfg;
  if (!p) throw new UsageError(`no profile "${profile}" in the config file`);
  const record = p as Record<string, unknown>;
  const had =
    Object.hasOwn(record, key) || (key === "clientSecret" && Object.hasOwn(record, "clientSecretRef"));
  if (!had) throw new UsageError(`${key} is not set${profile ? ` in profile "${profile}"` : ""}`);
  delete record[key];
  if (key === "clientSecret") delete record.clientSecretRef;
}

/** opcli config path | list | get KEY | set KEY VALUE, on the base or --profile NAME. */
export async function configCommand(sub: string, rest: string[], profile: string | undefined, io: CliIO) {
  const [key, value] = rest;
  if (sub === "path") {
    io.stdout.write(`${configPath(io.env)}\n`);
    return;
  }
  const cfg = readConfigFile(io.env, io.readFile);
  if (sub === "list") {
    const { profiles, ...base } = cfg;
    const out = {
      ...shown(base),
      profiles: Object.fromEntries(Object.entries(profiles ?? {}).map(([n, p]) => [n, shown(p)])),
    };
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  if (sub === "get") {
    if (!key) throw new UsageError("config get needs a KEY");
    const p = profile ? cfg.profiles?.[profile] : cfg;
    const v = p && Object.hasOwn(p, key) ? (p as Record<string, unknown>)[key] : undefined;
    if (v === undefined)
      throw new UsageError(`${key} is not set${profile ? ` in profile "${profile}"` : ""}`);
    io.stdout.write(`${SECRET_KEYS.has(key) ? "(set, hidden)" : String(v)}\n`);
    return;
  }
  if (sub === "unset") {
    if (!key) throw new UsageError("config unset needs a KEY");
    unsetKey(cfg, profile, key);
    const path = writeConfigFile(io.env, cfg);
    io.stderr.write(`opcli: ${key} unset${profile ? ` in profile "${profile}"` : ""} (${path})\n`);
    return;
  }
  if (!key || value === undefined) throw new UsageError("config set needs KEY and VALUE");
  await setKey(cfg, profile, key, value, io);
  const path = writeConfigFile(io.env, cfg);
  io.stderr.write(`opcli: ${key} set${profile ? ` in profile "${profile}"` : ""} (${path})\n`);
}

/** The client an opcli-server's admin-client.json names. */
function credentialsIn(path: string, io: CliIO): { id: string; secret: string } {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (err) {
    throw new UsageError(
      `--credentials: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
  let c: { client_id?: unknown; client_secret?: unknown };
  try {
    c = JSON.parse(text) as typeof c;
  } catch {
    throw new UsageError(`--credentials: ${path} is not JSON (expected an opcli-server admin-client.json)`);
  }
  if (typeof c?.client_id !== "string" || typeof c.client_secret !== "string")
    throw new UsageError(`--credentials: ${path} has no client_id and client_secret`);
  return { id: c.client_id, secret: c.client_secret };
}

/**
 * config init: a profile (host, client id, secret) from a running server and its credentials
 * file, made the default when there is none; returns the arguments that select it.
 */
export async function configInit(
  o: { profile: string | undefined; host: string | undefined; credentials: string | undefined },
  io: CliIO,
) {
  if (!o.host) throw new UsageError("config init needs --host URL (where the server listens)");
  if (!o.credentials)
    throw new UsageError("config init needs --credentials FILE (the server's admin-client.json)");
  const creds = credentialsIn(o.credentials, io);
  const cfg = readConfigFile(io.env, io.readFile);
  await setKey(cfg, o.profile, "host", o.host, io);
  await setKey(cfg, o.profile, "clientId", creds.id, io);
  await storeSecret(target(cfg, o.profile), o.profile, creds.secret, io);
  if (o.profile && !cfg.defaultProfile) cfg.defaultProfile = o.profile;
  const path = writeConfigFile(io.env, cfg);
  io.stderr.write(
    `opcli: ${o.profile ? `profile "${o.profile}"` : "base settings"} written (${path}); checking it gets a token\n`,
  );
  return new ParsedArgs(["auth", "login"], o.profile ? { profile: o.profile } : {});
}
