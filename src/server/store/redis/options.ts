// How to reach Redis: Janssen's redisConfiguration, as the server's config file gives it.

export const REDIS_PROVIDER_TYPES = ["STANDALONE", "CLUSTER", "SENTINEL"] as const;
export type RedisProviderType = (typeof REDIS_PROVIDER_TYPES)[number];

/** Janssen's field names; the password comes from the environment or a file, never from here. */
export interface RedisConfiguration {
  redisProviderType: RedisProviderType;
  /** "host:port,host:port" (sentinels for SENTINEL, seed nodes for CLUSTER). */
  servers: string;
  /** The master's name the sentinels watch (SENTINEL only). */
  sentinelMasterGroupName: string;
  useSSL: boolean;
  /** Lifetime of a cached entry when Redis is a cache in front of the database, seconds. */
  defaultPutExpiration: number;
}
