import type { Store } from "../store/types.js";
import { ClientService } from "./clients.js";
import { type Clock, systemClock } from "./clock.js";
import { DEFAULT_CONFIG, type ServerConfig } from "./config.js";
import { type Logger, silentLogger } from "./log.js";
import { TokenService } from "./oauth/tokens.js";
import { SessionService } from "./sessions.js";
import { UserService } from "./users.js";

/** Counters tests and operators read from /health. */
export interface ServerStats {
  /** client_credentials grants issued. */
  tokenGrants: number;
  /** Passwords evaluated (scrypt runs), by every login path. */
  passwordChecks: number;
  deviceGrants: number;
  refreshGrants: number;
  requests: number;
}

/** The server without HTTP: services over one store, one config, one clock, one log. */
export interface ServerCore {
  store: Store;
  config: ServerConfig;
  clock: Clock;
  log: Logger;
  tokens: TokenService;
  sessions: SessionService;
  users: UserService;
  clients: ClientService;
  stats: ServerStats;
  version: string;
}

export const SERVER_VERSION = "0.1.0";

export interface CoreOptions {
  store: Store;
  config?: ServerConfig;
  clock?: Clock;
  log?: Logger;
  /** Issuer of access tokens; any stable string (the listening URL by default). */
  issuer?: string;
}

export async function createCore(opts: CoreOptions): Promise<ServerCore> {
  const clock = opts.clock ?? systemClock;
  const config = opts.config ?? DEFAULT_CONFIG;
  const log = opts.log ?? silentLogger;
  const { store } = opts;
  const stats: ServerStats = {
    tokenGrants: 0,
    passwordChecks: 0,
    deviceGrants: 0,
    refreshGrants: 0,
    requests: 0,
  };
  return {
    store,
    config,
    clock,
    log,
    tokens: await TokenService.open(store, clock, opts.issuer ?? "opcli-reference-server"),
    sessions: new SessionService(store, config, clock),
    users: new UserService(store, config, clock, log, () => stats.passwordChecks++),
    clients: new ClientService(store, clock),
    stats,
    version: SERVER_VERSION,
  };
}
