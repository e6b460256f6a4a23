import {
  type ConfigFile,
  configPath,
  PROFILE_KEYS,
  type Profile,
  readConfigFile,
  writeConfigFile,
} from "../../client/config-file.js";
import { writeKeychainSecret } from "../../client/secret-ref.js";
import { UsageError } from "../../platform/errors.js";
import type { CliIO } from "../io.js";
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

async function setKey(cfg: ConfigFile, profile: string | undefined, key: string, value: string, io: CliIO) {
  if (key === "defaultProfile") {
    cfg.defaultProfile = value;
    return;
  }
  const type = Object.hasOwn(PROFILE_KEYS, key) ? PROFILE_KEYS[key as keyof Profile] : undefined;
  if (!type)
    throw new UsageError(
      `unknown setting "${key}" (one of ${Object.keys(PROFILE_KEYS).join(", ")}, defaultProfile)`,
    );
  const p = target(cfg, profile);
  if (key === "clientSecret") {
    value = await readSecretValue("clientSecret", value, io);
    // Secrets go to the keychain when there is one; the file keeps only a reference.
    const name = profile ?? "default";
    try {
      await writeKeychainSecret(name, value);
      delete p.clientSecret;
      p.clientSecretRef = `keychain:${name}`;
      io.stderr.write(`opcli: client secret stored in the OS keychain (clientSecretRef keychain:${name})\n`);
      return;
    } catch {
      io.stderr.write(
        "opcli: warning: no usable OS keychain; the client secret is kept in the config file (mode 0600)\n",
      );
    }
  }
  if (type === "boolean") {
    if (value !== "true" && value !== "false") throw new UsageError(`${key} takes true or false`);
    (p as Record<string, unknown>)[key] = value === "true";
  } else {
    (p as Record<string, unknown>)[key] = value;
  }
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
  if (!key || value === undefined) throw new UsageError("config set needs KEY and VALUE");
  await setKey(cfg, profile, key, value, io);
  const path = writeConfigFile(io.env, cfg);
  io.stderr.write(`opcli: ${key} set${profile ? ` in profile "${profile}"` : ""} (${path})\n`);
}
