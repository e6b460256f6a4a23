import { Hono } from "hono";
import type { ServerCore } from "../core/core.js";

export function healthRoutes(core: ServerCore): Hono {
  const app = new Hono();
  app.get("/health", async (c) => {
    const ok = await core.store.healthy();
    return c.json(
      { status: ok ? "ok" : "unavailable", store: core.store.kind, version: core.version, stats: core.stats },
      ok ? 200 : 503,
    );
  });
  return app;
}
