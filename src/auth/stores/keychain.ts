import {
  KeychainError,
  keychainDelete,
  keychainGet,
  keychainList,
  keychainSet,
} from "../../platform/keychain.js";
import type { StoredToken } from "../stored-token.js";
import { StoreError, type TokenStore } from "./types.js";

const SERVICE = "opcli";

/** Keychain failures as StoreError, so the fallback store can take over. */
async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof KeychainError) throw new StoreError(err.message);
    throw err;
  }
}

/** Tokens in the OS keychain (Secret Service), one entry per cache key. */
export class KeychainTokenStore implements TokenStore {
  readonly kind = "keychain";
  readonly location = "OS keychain (Secret Service)";

  async get(key: string): Promise<StoredToken | undefined> {
    const raw = await guarded(() => keychainGet(SERVICE, key));
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as StoredToken;
    } catch {
      return undefined;
    }
  }

  async set(key: string, token: StoredToken): Promise<void> {
    await guarded(() => keychainSet(SERVICE, key, JSON.stringify(token)));
  }

  async delete(key: string): Promise<boolean> {
    return guarded(() => keychainDelete(SERVICE, key));
  }

  async list(): Promise<[string, StoredToken][]> {
    const creds = await guarded(() => keychainList(SERVICE));
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
