import type { Store } from "../store/types.js";
import { AdminService } from "./admin.js";
import { AmSessions } from "./am/service.js";
import { ClientService } from "./clients.js";
import { type Clock, systemClock } from "./clock.js";
import { DEFAULT_CONFIG, type ServerConfig } from "./config.js";
import { SessionEvents } from "./events.js";
import { type Logger, silentLogger } from "./log.js";
import { TokenService } from "./oauth/tokens.js";
import { SessionService } from "./sessions.js";
import { type DeliveryIO, OutboxDispatcher } from "./signals/dispatcher.js";
import { StreamService } from "./signals/streams.js";
import { UserService } from "./users.js";
import { WebhookDispatcher, type WebhookIO } from "./webhooks.js";

/** Counters tests and operators read from /health. */
export interface ServerStats {
  /** client_credentials grants issued. */
  tokenGrants: number;
  /** Passwords evaluated (scrypt runs), by every login path. */
  passwordChecks: number;
  deviceGrants: number;
  refreshGrants: number;
  requests: number;
  /** Session uses written to the store (idle-time resets), at most one per session per interval. */
  idleResetWrites: number;
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
  events: SessionEvents;
  webhooks: WebhookDispatcher;
  clients: ClientService;
  /** Sends logout tokens and security events from the outbox (started by `serve`). */
  outbox: OutboxDispatcher;
  /** Shared Signals streams (each receiver's own). */
  streams: StreamService;
  /** PingAM's session actions and queries. */
  am: AmSessions;
  /** The admin console's operations. */
  admin: AdminService;
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
  /** How webhooks reach their receivers (global fetch and timers by default). */
  webhookIO?: WebhookIO;
  /** First retry delay of a webhook delivery, ms (then doubling). */
  webhookRetryBaseMs?: number;
  /** How logout tokens and security events reach their receivers (global fetch by default). */
  deliveryIO?: DeliveryIO;
}

const defaultWebhookIO: WebhookIO = {
  fetch: (url, init) => fetch(url, init),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms).unref()),
  now: () => Date.now(),
};

const defaultDeliveryIO: DeliveryIO = {
  fetch: async (url, init) => {
    const res = await fetch(url, init);
    // The body is not read: let the connection go.
    await res.body?.cancel().catch(() => {});
    return { status: res.status };
  },
};

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
    idleResetWrites: 0,
  };
  const webhooks = new WebhookDispatcher(
    config.webhooks,
    opts.webhookIO ?? defaultWebhookIO,
    log,
    opts.webhookRetryBaseMs,
  );
  const events = new SessionEvents(store, clock, config, webhooks);
  const sessions = new SessionService(store, config, clock, events, () => stats.idleResetWrites++);
  const users = new UserService(store, config, clock, log, sessions, events, () => stats.passwordChecks++);
  const tokens = await TokenService.open(store, clock, opts.issuer ?? "opcli-reference-server");
  const outbox = new OutboxDispatcher(
    store,
    tokens,
    clock,
    config,
    events,
    log,
    opts.deliveryIO ?? defaultDeliveryIO,
  );
  sessions.issuer = () => tokens.issuer;
  sessions.outboxWritten = () => outbox.kick();
  return {
    store,
    config,
    clock,
    log,
    tokens,
    outbox,
    streams: new StreamService(store, clock, tokens, () => outbox.kick()),
    sessions,
    events,
    webhooks,
    users,
    clients: new ClientService(store, clock),
    am: new AmSessions(store, sessions, users, config, clock),
    admin: new AdminService(store, clock, config, sessions, users, events),
    stats,
    version: SERVER_VERSION,
  };
}
