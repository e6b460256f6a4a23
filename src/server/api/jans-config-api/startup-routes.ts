import type { Hono } from "hono";
import {
  appVersion,
  attributes,
  healthChecks,
  liveness,
  persistence,
  plugins,
  readiness,
  serverStat,
  serviceStatus,
} from "../../core/config-api-status.js";
import type { ServerCore } from "../../core/core.js";
import { STARTUP_OPERATION_SCOPES } from "../../core/oauth/scopes.js";
import { type FaceEnv, face } from "../kit/env.js";
import { coreError } from "../kit/errors.js";
import { JANS_AUTH_SERVER } from "../kit/mounts.js";
import { guard as guardOf } from "./guard.js";

const guard = (core: ServerCore, operationId: string) => guardOf(core, STARTUP_OPERATION_SCOPES, operationId);

/**
 * The config-api operations Janssen's CLI and TUI call before and after signing in (health,
 * persistence, plugins, attributes): thin routes over core/config-api-status.ts.
 */
export function startupRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  // The health operations declare no security in Janssen's document, as here.
  app.get("/health", async (c) => c.json(await healthChecks(core)));
  app.get("/health/live", (c) => c.json(liveness()));
  app.get("/health/ready", async (c) => c.json(await readiness(core)));
  app.get("/health/server-stat", (c) => c.json(serverStat(core)));
  app.get("/health/app-version", guard(core, "get-app-version"), (c) =>
    c.json(appVersion(core, c.req.query("artifact"))),
  );
  app.get("/health/service-status", guard(core, "get-service-status"), (c) =>
    c.json(serviceStatus(c.req.query("service"))),
  );
  app.get(`${JANS_AUTH_SERVER}/config/persistence`, guard(core, "get-properties-persistence"), (c) =>
    c.json(persistence(core)),
  );
  app.get("/plugin", guard(core, "get-plugins"), (c) => c.json(plugins()));
  app.get("/plugin/:pluginName", guard(core, "get-plugin-by-name"), (c) => c.json(false));
  app.get("/attributes", guard(core, "get-attributes"), (c) => {
    const r = attributes({ limit: c.req.query("limit"), startIndex: c.req.query("startIndex") });
    return r.ok ? c.json(r.value) : coreError(c, r.error);
  });
  return app;
}
