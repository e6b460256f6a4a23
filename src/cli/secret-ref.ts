import { lazyRequire } from "../platform/lazy-require.js";
import { ConfigError } from "./errors.js";

/** Where a profile's client secret lives: `env:NAME` or `keychain:NAME`. */
export async function readSecretRef(ref: string, env: Record<string, string | undefined>): Promise<string> {
  const [kind, name] = [ref.slice(0, ref.indexOf(":")), ref.slice(ref.indexOf(":") + 1)];
  if (kind === "env") {
    const v = env[name];
    if (v === undefined)
      throw new ConfigError(`clientSecretRef ${ref}: environment variable ${name} is not set`);
    return v;
  }
  if (kind === "keychain") {
    const m = lazyRequire("@napi-rs/keyring") as typeof import("@napi-rs/keyring");
    const mod = ((m as unknown as { default?: typeof m }).default ?? m) as typeof m;
    try {
      const entry = new mod.AsyncEntry("opcli-secret", name, { linux: { store: "secret-service" } });
      const v = await entry.getPassword(AbortSignal.timeout(3000));
      if (v === null) throw new ConfigError(`clientSecretRef ${ref}: no such keychain entry`);
      return v;
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw new ConfigError(
        `clientSecretRef ${ref}: keychain unavailable (${(err as Error).message.split("\n")[0]})`,
      );
    }
  }
  throw new ConfigError(`clientSecretRef must be env:NAME or keychain:NAME, not "${ref}"`);
}

export async function writeKeychainSecret(name: string, secret: string): Promise<void> {
  const m = lazyRequire("@napi-rs/keyring") as typeof import("@napi-rs/keyring");
  const mod = ((m as unknown as { default?: typeof m }).default ?? m) as typeof m;
  const entry = new mod.AsyncEntry("opcli-secret", name, { linux: { store: "secret-service" } });
  await entry.setPassword(secret, AbortSignal.timeout(3000));
}
