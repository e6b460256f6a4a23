import { ConfigError } from "./errors.js";
import { lazyRequire } from "./lazy-require.js";

// The OS keychain through @napi-rs/keyring, pinned to the Secret Service on Linux (its default
// can fall back to the kernel keyring), every call bounded so a hung service never hangs opcli.

type Keyring = typeof import("@napi-rs/keyring");

export const KEYCHAIN_TIMEOUT_MS = 3000;

let lib: Keyring | undefined;
/** The native module, loaded on first use (about 11 ms). */
function keyring(): Keyring {
  const m = lazyRequire("@napi-rs/keyring") as Keyring & { default?: Keyring };
  lib ??= m.default ?? m;
  return lib;
}

/** A keychain failure (no Secret Service, locked, timed out): a configuration problem. */
export class KeychainError extends ConfigError {
  override name = "KeychainError";
}

/** Runs one keychain call under the timeout; any failure becomes a one-line KeychainError. */
export async function bounded<T>(what: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(KEYCHAIN_TIMEOUT_MS);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new KeychainError(`keychain ${what} timed out after ${KEYCHAIN_TIMEOUT_MS} ms`)),
      KEYCHAIN_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([call(signal), timeout]);
  } catch (err) {
    if (err instanceof KeychainError) throw err;
    throw new KeychainError(`keychain ${what} failed: ${(err as Error).message.split("\n")[0]}`);
  } finally {
    clearTimeout(timer);
  }
}

export function keychainEntry(service: string, account: string) {
  return new (keyring().AsyncEntry)(service, account, { linux: { store: "secret-service" } });
}

export function keychainGet(service: string, account: string): Promise<string | null | undefined> {
  return bounded("read", (signal) => keychainEntry(service, account).getPassword(signal));
}

export function keychainSet(service: string, account: string, secret: string): Promise<void> {
  return bounded("write", (signal) => keychainEntry(service, account).setPassword(secret, signal));
}

export function keychainDelete(service: string, account: string): Promise<boolean> {
  return bounded("delete", (signal) => keychainEntry(service, account).deleteCredential(signal));
}

export function keychainList(service: string): Promise<{ account: string; password: string }[]> {
  return bounded("list", (signal) => keyring().findCredentialsAsync(service, null, signal));
}
