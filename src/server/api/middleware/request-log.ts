import type { MiddlewareHandler } from "hono";
import type { ServerCore } from "../../core/core.js";

/** One JSON log line per request, with the route pattern only: raw paths carry sids and DNs. */
export function requestLog(core: ServerCore): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    core.stats.requests++;
    await next();
    core.log.info("request", {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
