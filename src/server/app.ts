import { type Context, Hono } from "hono";
import { adminPageRoutes } from "./api/admin/pages.js";
import { adminApiRoutes } from "./api/admin/routes.js";
import { healthRoutes } from "./api/health.js";
import { CSS, STYLESHEET } from "./api/html.js";
import { accountRoutes } from "./api/jans-auth/account-routes.js";
import { authorizeRoutes } from "./api/jans-auth/authorize-routes.js";
import { deviceRoutes } from "./api/jans-auth/device-routes.js";
import { endSessionRoutes } from "./api/jans-auth/end-session.js";
import { discovery, oauthRoutes } from "./api/jans-auth/oauth-routes.js";
import { revocationRoutes } from "./api/jans-auth/revocation-routes.js";
import { sessionRoutes } from "./api/jans-auth/session-routes.js";
import { acrsRoutes, configApiRoutes } from "./api/jans-config-api/routes.js";
import { startupRoutes } from "./api/jans-config-api/startup-routes.js";
import { apiError, crestError, type ErrorRenderer } from "./api/kit/errors.js";
import {
  ADMIN_API,
  ADMIN_PAGES,
  AM,
  AM_JSON,
  AM_OAUTH,
  CONFIG_API,
  CONFIG_API_SESSIONS,
  JANS_AUTH,
  SSF,
} from "./api/kit/mounts.js";
import { bodyGuard, headerEscape } from "./api/middleware/body-guard.js";
import { inputGuard } from "./api/middleware/input-guard.js";
import { drainAware, requestBodyLimit } from "./api/middleware/limits.js";
import { requestLog } from "./api/middleware/request-log.js";
import { securityHeaders } from "./api/middleware/security-headers.js";
import { amOAuthRoutes, amSessionRoutes } from "./api/pingam/routes.js";
import { publicOrigin } from "./api/public-origin.js";
import { ssfConfiguration, ssfRoutes } from "./api/ssf/routes.js";
import { type CoreOptions, createCore, type ServerCore } from "./core/core.js";
import { StoreUnavailable } from "./store/types.js";

export type { ServerCore };

/** The core, for callers that build the HTTP app themselves (tests, the embedded default). */
export const createDeps = (opts: CoreOptions): Promise<ServerCore> => createCore(opts);

export interface AppOptions {
  /** True once the server has been asked to stop: responses then close their connections. */
  draining?: () => boolean;
}

/** The whole HTTP surface: every API face over one core, behind the same guards. */
export function createApp(core: ServerCore, opts: AppOptions = {}): Hono {
  const app = new Hono();
  app.use(requestLog(core));
  app.use(securityHeaders());
  app.use(drainAware(opts.draining ?? (() => false)));
  // Each face answers errors in its own shape, even those raised before its routes.
  const render: ErrorRenderer = (c, status, message) =>
    c.req.path.startsWith(`${AM}/`) ? crestError(c, status, message) : apiError(c, status, message);
  app.use(inputGuard(render));
  app.use(requestBodyLimit(core.config.maxRequestBodyBytes, render));
  app.use(bodyGuard(render));
  app.use(headerEscape());
  app.onError((err, c) => {
    if (err instanceof StoreUnavailable) {
      // The database is down or restarting: a retry soon can succeed, so 503, never 500.
      core.log.warn("store unavailable", { route: c.req.routePath, error: err.message });
      c.header("Retry-After", "2");
      c.header("Cache-Control", "no-store");
      return render(c, 503, "the session store is unavailable; retry shortly");
    }
    core.log.error("unhandled error", { route: c.req.routePath, error: err.message });
    return render(c, 500, "internal error");
  });
  app.notFound((c) => render(c, 404, "no such endpoint"));

  app.route("/", healthRoutes(core));
  app.route(CONFIG_API_SESSIONS, configApiRoutes(core));
  app.route(CONFIG_API, acrsRoutes(core));
  app.route(CONFIG_API, startupRoutes(core));
  app.route(JANS_AUTH, oauthRoutes(core));
  app.get("/.well-known/openid-configuration", (c) => c.json(discovery(core, publicOrigin(core))));
  app.get(STYLESHEET, (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    c.header("Cache-Control", "public, max-age=3600");
    return c.body(CSS);
  });
  app.route(JANS_AUTH, authorizeRoutes(core));
  app.route(JANS_AUTH, sessionRoutes(core));
  app.route(JANS_AUTH, endSessionRoutes(core));
  app.route(JANS_AUTH, revocationRoutes(core));
  app.route(JANS_AUTH, accountRoutes(core));
  app.route(JANS_AUTH, deviceRoutes(core));
  app.route(AM_JSON, amSessionRoutes(core));
  app.route(AM_OAUTH, amOAuthRoutes(core));
  app.route(ADMIN_API, adminApiRoutes(core));
  app.route(ADMIN_PAGES, adminPageRoutes(core));
  // Built on the issuer's origin, never the request's Host (a client could hand receivers its own keys).
  const ssf = (c: Context) => c.json(ssfConfiguration(core, publicOrigin(core)));
  app.get("/.well-known/ssf-configuration", ssf);
  app.get(`/.well-known/ssf-configuration${JANS_AUTH}`, ssf);
  app.route(SSF, ssfRoutes(core));
  return app;
}
