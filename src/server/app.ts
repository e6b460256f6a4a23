import { Hono } from "hono";
import { type Clock, systemClock } from "./clock.js";
import { DEFAULT_CONFIG, type ServerConfig } from "./config.js";
import type { ServerDeps, ServerStats } from "./deps.js";
import { type Logger, silentLogger } from "./log.js";
import { TokenService } from "./oauth/tokens.js";
import { authServerRoutes } from "./routes/auth-server.js";
import { CONFIG_API_BASE, configApiRoutes } from "./routes/config-api.js";
import { deviceRoutes } from "./routes/device.js";
import { apiError } from "./routes/errors.js";
import { discovery, oauthRoutes } from "./routes/oauth.js";
import { SessionLifecycle } from "./sessions.js";
import type { Store } from "./store/types.js";

export const SERVER_VERSION = "0.1.0";

export interface AppOptions {
  store: Store;
  config?: ServerConfig;
  clock?: Clock;
  log?: Logger;
  /** Issuer of access tokens; any stable string (the listening URL by default). */
  issuer?: string;
}

export async function createDeps(opts: AppOptions): Promise<ServerDeps> {
  const clock = opts.clock ?? systemClock;
  const config = opts.config ?? DEFAULT_CONFIG;
  const stats: ServerStats = { tokenGrants: 0, deviceGrants: 0, refreshGrants: 0, requests: 0 };
  return {
    store: opts.store,
    config,
    clock,
    tokens: await TokenService.open(opts.store, clock, opts.issuer ?? "opcli-reference-server"),
    sessions: new SessionLifecycle(opts.store, config, clock),
    log: opts.log ?? silentLogger,
    stats,
    version: SERVER_VERSION,
  };
}

/** The whole HTTP surface: config-api session endpoints, auth-server endpoints, OAuth, health. */
export function createApp(deps: ServerDeps): Hono {
  const app = new Hono();

  app.use(async (c, next) => {
    const started = performance.now();
    deps.stats.requests++;
    await next();
    // Route patterns only: raw paths carry sids and DNs, which stay out of logs.
    deps.log.info("request", {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  app.onError((err, c) => {
    deps.log.error("unhandled error", { route: c.req.routePath, error: err.message });
    return apiError(c, 500, "internal error");
  });
  app.notFound((c) => apiError(c, 404, "no such endpoint"));

  app.get("/health", (c) => {
    const ok = deps.store.healthy();
    return c.json(
      { status: ok ? "ok" : "unavailable", store: deps.store.kind, version: deps.version, stats: deps.stats },
      ok ? 200 : 503,
    );
  });

  app.route(CONFIG_API_BASE, configApiRoutes(deps));
  const oauth = oauthRoutes(deps);
  app.route("/jans-auth", oauth);
  app.get("/.well-known/openid-configuration", (c) => c.json(discovery(deps, new URL(c.req.url).origin)));
  app.route("/jans-auth", authServerRoutes(deps));
  app.route("/jans-auth", deviceRoutes(deps));
  return app;
}
