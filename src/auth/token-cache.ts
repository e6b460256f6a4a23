import { join } from "node:path";
import { withFileLock } from "./lock.js";
import { type CacheKeyParts, cacheKey, covers, isFresh, type StoredToken } from "./stored-token.js";
import type { TokenStore } from "./stores/types.js";

export type TokenSource = "cache" | "fetched" | "refreshed";

export interface TokenRequest extends CacheKeyParts {
  /** Gets a brand-new token (client credentials, or a device flow). */
  fetchNew(): Promise<StoredToken>;
  /** Trades a refresh token for a new token; throws InvalidGrant when it is refused. */
  refresh?(refreshToken: string): Promise<StoredToken>;
  /** A token the API just refused: never hand it out again. */
  rejected?: string;
  /** Skip cached tokens (auth login). */
  force?: boolean;
}

export class InvalidGrant extends Error {
  override name = "InvalidGrant";
}

/** Finds a fresh cached token for the request: the exact key, else any entry with more scopes. */
async function lookup(
  store: TokenStore,
  req: TokenRequest,
  now: number,
): Promise<[string, StoredToken] | undefined> {
  const key = cacheKey(req);
  const got = await store.get(key);
  // An entry under this key from other credentials (a collision, a hand-edited file) is no match.
  const exact =
    got && (req.fingerprint === undefined || got.fingerprint === req.fingerprint) ? got : undefined;
  if (exact && exact.accessToken !== req.rejected) return [key, exact];
  for (const [k, t] of await store.list()) {
    if (k !== key && covers(t, req) && isFresh(t, now) && t.accessToken !== req.rejected) return [k, t];
  }
  return exact ? [key, exact] : undefined;
}

/**
 * The token cache: fresh entries are used as they are; otherwise, under a cross-process lock,
 * the entry is refreshed (refresh token) or fetched anew, and stored.
 */
export class TokenCache {
  constructor(
    private readonly store: TokenStore,
    /** Where lock files go (one per cache key). */
    private readonly lockDir: string,
    private readonly now: () => number,
  ) {}

  get storeKind() {
    return this.store.kind;
  }

  get location(): string {
    return this.store.location;
  }

  list() {
    return this.store.list();
  }

  private usable(found: [string, StoredToken] | undefined, req: TokenRequest): StoredToken | undefined {
    if (req.force || !found) return undefined;
    return found[1].accessToken !== req.rejected && isFresh(found[1], this.now()) ? found[1] : undefined;
  }

  async token(req: TokenRequest): Promise<{ token: StoredToken; source: TokenSource }> {
    const cached = this.usable(await lookup(this.store, req, this.now()), req);
    if (cached) return { token: cached, source: "cache" };
    const key = cacheKey(req);
    return withFileLock(join(this.lockDir, `${key}.lock`), async () => {
      // Another process may have done the work while this one waited.
      const again = await lookup(this.store, req, this.now());
      const now = this.usable(again, req);
      if (now) return { token: now, source: "cache" as const };
      const stale = again?.[1];
      if (stale?.refreshToken && req.refresh && !req.force) {
        try {
          const token = await req.refresh(stale.refreshToken);
          await this.store.set(key, token);
          return { token, source: "refreshed" as const };
        } catch (err) {
          if (!(err instanceof InvalidGrant)) throw err;
          await this.store.delete(again![0]);
        }
      }
      const token = await req.fetchNew();
      await this.store.set(key, token);
      return { token, source: "fetched" as const };
    });
  }

  /** Drops a cached entry (after invalid_grant, or on logout). */
  async forget(parts: CacheKeyParts): Promise<StoredToken[]> {
    const removed: StoredToken[] = [];
    for (const [k, t] of await this.store.list()) {
      if (t.tokenUrl === parts.tokenUrl && t.clientId === parts.clientId) {
        await this.store.delete(k);
        removed.push(t);
      }
    }
    return removed;
  }
}
