import type { Clock } from "./clock.js";
import type { ServerConfig } from "./config.js";
import type { Logger } from "./log.js";
import type { TokenService } from "./oauth/tokens.js";
import type { SessionLifecycle } from "./sessions.js";
import type { Store } from "./store/types.js";

/** Counters tests and operators read from /health. */
export interface ServerStats {
  /** client_credentials grants issued. */
  tokenGrants: number;
  deviceGrants: number;
  refreshGrants: number;
  requests: number;
}

export interface ServerDeps {
  store: Store;
  config: ServerConfig;
  clock: Clock;
  tokens: TokenService;
  sessions: SessionLifecycle;
  log: Logger;
  stats: ServerStats;
  version: string;
}
