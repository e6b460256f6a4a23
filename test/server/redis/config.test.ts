import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_CONFIG, resolveConfig } from "../../../src/server/core/config.js";

// The cache keys as Janssen names them: accepted as documented, anything else one clear line.

describe("cacheProviderType, sessionIdPersistInCache, redisConfiguration", () => {
  it("defaults to the database alone", () => {
    expect(DEFAULT_CONFIG.cacheProviderType).toBe("NATIVE_PERSISTENCE");
    expect(DEFAULT_CONFIG.sessionIdPersistInCache).toBe(false);
  });

  it("takes the issue's example", () => {
    const c = resolveConfig({
      cacheProviderType: "REDIS",
      sessionIdPersistInCache: true,
      redisConfiguration: { redisProviderType: "STANDALONE", servers: "127.0.0.1:6379" },
    });
    expect(c.cacheProviderType).toBe("REDIS");
    expect(c.redisConfiguration).toMatchObject({ servers: "127.0.0.1:6379", useSSL: false });
  });

  it.each([
    [{ cacheProviderType: "MEMCACHED" }, /must be one of NATIVE_PERSISTENCE, IN_MEMORY, REDIS/],
    [{ sessionIdPersistInCache: "yes" }, /must be true or false/],
    [{ sessionIdPersistInCache: true }, /needs cacheProviderType "REDIS"/],
    [{ redisConfiguration: [] }, /must be an object/],
    [{ redisConfiguration: { password: "s3cret" } }, /refused in the config file.*OPCLI_REDIS_PASSWORD/],
    [{ redisConfiguration: { servers: "" } }, /must be "host:port"/],
    [{ redisConfiguration: { servers: "a:1,b" } }, /"b" is not host:port/],
    [{ redisConfiguration: { servers: "a:70000" } }, /"a:70000" is not host:port/],
    [
      { redisConfiguration: { redisProviderType: "SHARDED" } },
      /must be one of STANDALONE, CLUSTER, SENTINEL/,
    ],
    [{ redisConfiguration: { redisProviderType: "SENTINEL" } }, /sentinelMasterGroupName is needed/],
    [{ redisConfiguration: { useSSL: 1 } }, /useSSL must be true or false/],
    [{ redisConfiguration: { defaultPutExpiration: 0 } }, /defaultPutExpiration must be an integer/],
    [{ redisConfiguration: { nope: 1 } }, /unknown key "nope"/],
  ])("refuses %j in one line", (partial, message) => {
    let err: unknown;
    try {
      resolveConfig(partial);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("\n");
    expect((err as Error).message).not.toContain("s3cret");
  });
});
