import type { Hono } from "hono";
import type { ServerCore } from "../core/core.js";
import { ADMIN_READ, satisfies } from "../core/oauth/scopes.js";
import { bearerToken } from "./kit/bearer.js";
import { type FaceEnv, face } from "./kit/env.js";

/** Whether the request carries an access token that may read the admin API (and so the counters). */
async function mayReadCounters(core: ServerCore, authorization: string | undefined): Promise<boolean> {
  const token = bearerToken(authorization);
  if (!token) return false;
  const result = await core.tokens.verify(token);
  return result.ok && satisfies(result.claims.scopes, ADMIN_READ);
}

// Anyone learns up or down and nothing else: the counters (password checks among them) would be a
// lockout oracle, so they, the store kind and the version need an admin token that may read.
export function healthRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  app.get("/health", async (c) => {
    const ok = await core.store.healthy();
    const status = ok ? "ok" : "unavailable";
    const detail = (await mayReadCounters(core, c.req.header("authorization")))
      ? { store: core.store.kind, version: core.version, stats: core.stats }
      : {};
    return c.json({ status, ...detail }, ok ? 200 : 503);
  });
  return app;
}
