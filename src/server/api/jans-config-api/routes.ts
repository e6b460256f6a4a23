import type { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import { OPERATION_SCOPES } from "../../core/oauth/scopes.js";
import { DEFAULT_PAGE_SIZE } from "../../core/session-search.js";
import { PASSWORD_ACR } from "../jans-auth/browser.js";
import { actorOf } from "../kit/actor.js";
import { type FaceEnv, face } from "../kit/env.js";
import { coreError } from "../kit/errors.js";
import { guard as guardOf } from "./guard.js";
import { renderPage, renderSession } from "./render.js";

const guard = (core: ServerCore, operationId: string) => guardOf(core, OPERATION_SCOPES, operationId);

/** The Janssen config-api session operations: HTTP in, core calls, config-api errors out. */
export function configApiRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  const { sessions } = core;
  const now = () => core.clock.now();

  app.get("/", guard(core, "get-sessions"), async (c) => {
    const r = await sessions.search({
      limit: String(Math.min(DEFAULT_PAGE_SIZE, core.config.maxSearchLimit)),
    });
    if (!r.ok) return coreError(c, r.error);
    return c.json(renderPage(0, r.value, now()));
  });

  app.get("/search", guard(core, "search-session"), async (c) => {
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
    return c.json(renderPage(r.value.start, r.value, now()));
  });

  app.get("/sid/:sid", guard(core, "get-session-by-id"), async (c) => {
    const r = await sessions.get(c.req.param("sid"));
    return r.ok ? c.json(renderSession(r.value, now())) : coreError(c, r.error);
  });

  app.delete("/sid/:sid", guard(core, "delete-session"), async (c) => {
    const r = await sessions.delete(c.req.param("sid"), await actorOf(core, c));
    return r.ok ? c.body(null, 204) : coreError(c, r.error);
  });

  app.delete("/user/:userDn", guard(core, "revoke-user-session"), async (c) => {
    const r = await sessions.revokeUser(c.req.param("userDn"), await actorOf(core, c));
    return r.ok ? c.body(null, 204) : coreError(c, r.error);
  });

  return app;
}

/** Janssen's default-authentication-method read, which Janssen's CLI calls to check its token. */
export function acrsRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  app.get("/acrs", guard(core, "get-acrs"), (c) => c.json({ defaultAcr: PASSWORD_ACR }));
  return app;
}
