import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StoredToken } from "../../src/auth/stored-token.js";
import { cacheKey } from "../../src/auth/stored-token.js";
import type { TokenStore } from "../../src/auth/stores/types.js";
import { InvalidGrant, TokenCache } from "../../src/auth/token-cache.js";

class MemoryStore implements TokenStore {
  readonly kind = "none";
  readonly location = "memory";
  readonly map = new Map<string, StoredToken>();
  async get(k: string) {
    return this.map.get(k);
  }
  async set(k: string, t: StoredToken) {
    this.map.set(k, t);
  }
  async delete(k: string) {
    return this.map.delete(k);
  }
  async list(): Promise<[string, StoredToken][]> {
    return [...this.map];
  }
}

const NOW = 1_000_000_000;
const key = { tokenUrl: "https://as/token", clientId: "c", scopes: ["read"] };
const token = (over: Partial<StoredToken> = {}): StoredToken => ({
  accessToken: "at-1",
  expiresAt: NOW + 3_600_000,
  tokenUrl: key.tokenUrl,
  clientId: "c",
  scopes: ["read"],
  flow: "client_credentials",
  obtainedAt: NOW,
  ...over,
});

function setup(initial: [string, StoredToken][] = []) {
  const store = new MemoryStore();
  for (const [k, t] of initial) store.map.set(k, t);
  const cache = new TokenCache(store, mkdtempSync(join(tmpdir(), "opcli-locks-")), () => NOW);
  const calls = { fetch: 0, refresh: 0 };
  const req = (over: object = {}) => ({
    ...key,
    fetchNew: async () => {
      calls.fetch++;
      return token({ accessToken: `new-${calls.fetch}` });
    },
    refresh: async (rt: string) => {
      calls.refresh++;
      if (rt === "dead") throw new InvalidGrant("refused");
      return token({ accessToken: `refreshed-${calls.refresh}` });
    },
    ...over,
  });
  return { store, cache, calls, req };
}

describe("token cache", () => {
  it("uses a fresh cached token and fetches nothing", async () => {
    const s = setup([[cacheKey(key), token()]]);
    expect(await s.cache.token(s.req())).toMatchObject({ source: "cache", token: { accessToken: "at-1" } });
    expect(s.calls).toEqual({ fetch: 0, refresh: 0 });
  });

  it("serves from an entry with more scopes for the same client and endpoint", async () => {
    const wide = { ...key, scopes: ["read", "write"] };
    const s = setup([[cacheKey(wide), token({ scopes: ["read", "write"], accessToken: "wide" })]]);
    expect((await s.cache.token(s.req())).token.accessToken).toBe("wide");
  });

  it.each([
    [
      "within 60 s of expiry, with a refresh token: refreshes",
      { expiresAt: NOW + 59_000, refreshToken: "rt" },
      "refreshed",
      "refreshed-1",
    ],
    [
      "within 60 s of expiry, no refresh token: fetches anew",
      { expiresAt: NOW + 59_000 },
      "fetched",
      "new-1",
    ],
    [
      "refresh refused (invalid_grant): fetches anew",
      { expiresAt: NOW - 1, refreshToken: "dead" },
      "fetched",
      "new-1",
    ],
    ["no expiry given: used as long as the API takes it", { expiresAt: null }, "cache", "at-1"],
  ] as [string, Partial<StoredToken>, string, string][])("%s", async (_name, over, source, access) => {
    const s = setup([[cacheKey(key), token(over)]]);
    const got = await s.cache.token(s.req());
    expect([got.source, got.token.accessToken]).toEqual([source, access]);
    expect((await s.store.get(cacheKey(key)))?.accessToken).toBe(access);
  });

  it("never hands out a token the API just rejected", async () => {
    const s = setup([[cacheKey(key), token()]]);
    const got = await s.cache.token(s.req({ rejected: "at-1" }));
    expect(got).toMatchObject({ source: "fetched", token: { accessToken: "new-1" } });
  });

  it("makes one request for many parallel callers on an empty cache", async () => {
    const s = setup();
    const got = await Promise.all(Array.from({ length: 10 }, () => s.cache.token(s.req())));
    expect(s.calls.fetch).toBe(1);
    expect(new Set(got.map((g) => g.token.accessToken))).toEqual(new Set(["new-1"]));
  });

  it("forgets every entry of a client at an endpoint", async () => {
    const s = setup([
      [cacheKey(key), token()],
      ["other", token({ clientId: "d" })],
    ]);
    expect(await s.cache.forget(key)).toHaveLength(1);
    expect([...s.store.map.keys()]).toEqual(["other"]);
  });
});
