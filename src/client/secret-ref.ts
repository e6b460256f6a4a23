import { ConfigError } from "../platform/errors.js";
import { KeychainError, keychainGet, keychainSet } from "../platform/keychain.js";

const SERVICE = "opcli-secret";

/** Where a profile's client secret lives: `env:NAME` or `keychain:NAME`. */
export async function readSecretRef(ref: string, env: Record<string, string | undefined>): Promise<string> {
  const colon = ref.indexOf(":");
  const [kind, name] = [ref.slice(0, colon), ref.slice(colon + 1)];
  if (kind === "env") {
    const v = env[name];
    if (v === undefined)
      throw new ConfigError(`clientSecretRef ${ref}: environment variable ${name} is not set`);
    return v;
  }
  if (kind === "keychain") {
    try {
      const v = await keychainGet(SERVICE, name);
      if (v === null || v === undefined)
        throw new ConfigError(`clientSecretRef ${ref}: no such keychain entry`);
      return v;
    } catch (err) {
      if (err instanceof KeychainError)
        throw new ConfigError(`clientSecretRef ${ref}: keychain unavailable (${err.message})`);
      throw err;
    }
  }
  throw new ConfigError(`clientSecretRef must be env:NAME or keychain:NAME, not "${ref}"`);
}

export function writeKeychainSecret(name: string, secret: string): Promise<void> {
  return keychainSet(SERVICE, name, secret);
}
