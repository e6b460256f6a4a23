import { lazyRequire } from "../../platform/lazy-require.js";
import type { StoredToken } from "../stored-token.js";
import { StoreError, type TokenStore } from "./types.js";

const SERVICE = "opcli";
const TIMEOUT_MS = 3000;

type AsyncEntryCtor = typeof import("@napi-rs/keyring").AsyncEntry;
type FindAsync = typeof import("@napi-rs/keyring").findCredentialsAsync;

let lib: { AsyncEntry: AsyncEntryCtor; findCredentialsAsync: FindAsync } | undefined;
/** The native module, loaded on first use (about 11 ms). */
async function keyring() {
  lib ??= lazyRequire("@napi-rs/keyring") as { AsyncEntry: AsyncEntryCtor; findCredentialsAsync: FindAsync };
  return lib;
}

/** Every keychain call is bounded: a hung Secret Service must not hang the CLI. */
async function bounded<T>(what: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreError(`keychain ${what} timed out after ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([call(signal), timeout]);
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(`keychain ${what} failed: ${(err as Error).message.split("\n")[0]}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The OS keychain through @napi-rs/keyring, pinned to the Secret Service on Linux. */
export class KeychainTokenStore implements TokenStore {
  readonly kind = "keychain";
  readonly location = "OS keychain (Secret Service)";

  private async entry(key: string) {
    const { AsyncEntry } = await keyring();
    return new AsyncEntry(SERVICE, key, { linux: { store: "secret-service" } });
  }

  async get(key: string): Promise<StoredToken | undefined> {
    const e = await this.entry(key);
    const raw = await bounded("read", (signal) => e.getPassword(signal));
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as StoredToken;
    } catch {
      return undefined;
    }
  }

  async set(key: string, token: StoredToken): Promise<void> {
    const e = await this.entry(key);
    await bounded("write", (signal) => e.setPassword(JSON.stringify(token), signal));
  }

  async delete(key: string): Promise<boolean> {
    const e = await this.entry(key);
    return bounded("delete", (signal) => e.deleteCredential(signal));
  }

  async list(): Promise<[string, StoredToken][]> {
    const { findCredentialsAsync } = await keyring();
    const creds = await bounded("list", (signal) => findCredentialsAsync(SERVICE, null, signal));
    const out: [string, StoredToken][] = [];
    for (const c of creds) {
      try {
        out.push([c.account, JSON.parse(c.password) as StoredToken]);
      } catch {
        // Not one of ours: skip it.
      }
    }
    return out;
  }
}
