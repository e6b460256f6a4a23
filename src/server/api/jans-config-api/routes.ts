import { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import { OPERATION_SCOPES } from "../../core/oauth/scopes.js";
import { DEFAULT_PAGE_SIZE } from "../../core/session-search.js";
import { apiError, coreError } from "../errors.js";
import { bearerAuth } from "../middleware/bearer.js";
import { renderPage, renderSession } from "./render.js";

export const CONFIG_API_BASE = "/jans-config-api/api/v1/jans-auth-server/session";

/** The Janssen config-api session operations: HTTP in, core calls, config-api errors out. */
export function configApiRoutes(core: ServerCore): Hono {
  const app = new Hono();
  const { sessions } = core;
  const guard = (operationId: string) =>
    bearerAuth(core, {
      realm: "jans-config-api",
      requirement: OPERATION_SCOPES[operationId]!,
      what: operationId,
      render: apiError,
    });

  app.get("/", guard("get-sessions"), async (c) => {
    const r = await sessions.search({
      limit: String(Math.min(DEFAULT_PAGE_SIZE, core.config.maxSearchLimit)),
    });
    if (!r.ok) return coreError(c, r.error);
    return c.json(renderPage(0, r.value));
  });

  app.get("/search", guard("search-session"), async (c) => {
    const q = c.req.query();
    const r = await sessions.search({
      limit: q.limit,
      startIndex: q.startIndex,
      sortBy: q.sortBy,
      sortOrder: q.sortOrder,
      fieldValuePair: q.fieldValuePair,
      pattern: q.pattern,
    });
    if (!r.ok) return coreError(c, r.error);
    return c.json(renderPage(r.value.start, r.value));
  });

  app.get("/sid/:sid", guard("get-session-by-id"), async (c) => {
    const r = await sessions.get(c.req.param("sid"));
    return r.ok ? c.json(renderSession(r.value)) : coreError(c, r.error);
  });

  app.delete("/sid/:sid", guard("delete-session"), async (c) => {
    const r = await sessions.delete(c.req.param("sid"));
    return r.ok ? c.body(null, 204) : coreError(c, r.error);
  });

  app.delete("/user/:userDn", guard("revoke-user-session"), async (c) => {
    const r = await sessions.revokeUser(c.req.param("userDn"));
    return r.ok ? c.body(null, 204) : coreError(c, r.error);
  });

  return app;
}
