import { join } from "node:path";
import { type Env, xdgCacheHome } from "../../platform/paths.js";
import type { StoredToken } from "../stored-token.js";
import { FileTokenStore, NoTokenStore } from "./file.js";
import { KeychainTokenStore } from "./keychain.js";
import { StoreError, type StoreKind, type TokenStore } from "./types.js";

export function cacheRoot(env: Env): string {
  return join(xdgCacheHome(env), "opcli");
}

/**
 * Keychain first; when it cannot be used (no Secret Service, locked, timed out) the file
 * store takes over for this and later calls, and the first fallback says so on stderr.
 */
class FallbackTokenStore implements TokenStore {
  private active: TokenStore;

  constructor(
    private readonly keychain: TokenStore,
    private readonly file: FileTokenStore,
    private readonly warn: (reason: string) => void,
  ) {
    this.active = keychain;
  }

  get kind(): StoreKind {
    return this.active.kind;
  }
  get location(): string {
    return this.active.location;
  }

  private async run<T>(call: (s: TokenStore) => Promise<T>): Promise<T> {
    if (this.active === this.keychain) {
      try {
        return await call(this.keychain);
      } catch (err) {
        if (!(err instanceof StoreError)) throw err;
        this.active = this.file;
        this.warn(err.message);
      }
    }
    return call(this.file);
  }

  get(key: string) {
    return this.run((s) => s.get(key));
  }
  set(key: string, token: StoredToken) {
    return this.run((s) => s.set(key, token));
  }
  delete(key: string) {
    return this.run((s) => s.delete(key));
  }
  list() {
    return this.run((s) => s.list());
  }
}

export type StoreSetting = "auto" | StoreKind;

export function parseStoreSetting(raw: string | undefined): StoreSetting | undefined {
  if (raw === undefined || raw === "") return "auto";
  return (["auto", "keychain", "file", "none"] as const).find((k) => k === raw);
}

/** The token store for this run; `warn` prints one line on stderr. */
export function selectTokenStore(
  setting: StoreSetting,
  env: Record<string, string | undefined>,
  warn: (s: string) => void,
): TokenStore {
  const fileLocation = join(cacheRoot(env), "tokens.json");
  if (setting === "none") return new NoTokenStore();
  if (setting === "file") return new FileTokenStore(fileLocation, undefined, warn);
  if (setting === "keychain") {
    if (process.platform === "linux" && !env.DBUS_SESSION_BUS_ADDRESS)
      return new UnusableStore(
        "token store is keychain, but there is no D-Bus session for the Secret Service; use file or none",
      );
    return new KeychainTokenStore();
  }
  const fallbackNotice = (reason: string) =>
    `warning: no usable OS keychain (${reason}); caching tokens in ${fileLocation} (mode 0600). Set OPCLI_TOKEN_STORE=file to silence this, or none to cache nothing.`;
  const file = new FileTokenStore(fileLocation, () => warn(fallbackNotice(pendingReason)), warn);
  let pendingReason = "";
  const onFallback = (reason: string) => {
    pendingReason = reason;
  };
  // Without a session bus the Secret Service cannot answer; skip straight to the file.
  if (process.platform === "linux" && !env.DBUS_SESSION_BUS_ADDRESS) {
    pendingReason = "no D-Bus session";
    return file;
  }
  return new FallbackTokenStore(new KeychainTokenStore(), file, onFallback);
}

/** An explicitly chosen store that cannot work here: every use says why (exit 3). */
class UnusableStore implements TokenStore {
  readonly kind = "keychain";
  readonly location = "OS keychain (unavailable)";
  constructor(private readonly why: string) {}
  private fail(): never {
    throw new StoreError(this.why);
  }
  async get(): Promise<StoredToken | undefined> {
    this.fail();
  }
  async set(): Promise<void> {
    this.fail();
  }
  async delete(): Promise<boolean> {
    this.fail();
  }
  async list(): Promise<[string, StoredToken][]> {
    this.fail();
  }
}
