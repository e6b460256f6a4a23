import type { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import { AM_OPERATION_SCOPES, AM_SESSIONS_READ, satisfies } from "../../core/oauth/scopes.js";
import { realmPath } from "../../core/realms.js";
import { tokenEndpoint } from "../jans-auth/oauth-routes.js";
import { actorOf } from "../kit/actor.js";
import { bearerAuth, claimsOf } from "../kit/bearer.js";
import { jsonObject } from "../kit/body.js";
import { type FaceContext, type FaceEnv, face } from "../kit/env.js";
import { crestError } from "../kit/errors.js";
import { ACTIONS, type ActionContext, actionNamed } from "./actions.js";
import { apiVersion, reply } from "./crest.js";
import { queryParams } from "./params.js";
import { queryResult } from "./render.js";

// The PingAM face lives at AM_JSON (`/am/json/realms/root[/realms/<name>]/sessions`) and AM_OAUTH.
const SESSION_PATHS = ["/realms/root/sessions", "/realms/root/realms/:realm/sessions"];
const POST_PARAMS = new Set(["_action", "_prettyPrint"]);

/** The request's realm, if it is one we serve. */
function realmOf(c: FaceContext, core: ServerCore): string | undefined {
  const realm = realmPath(c.req.param("realm"));
  return Object.hasOwn(core.config.realms, realm) ? realm : undefined;
}

async function runAction(c: FaceContext, core: ServerCore, realm: string): Promise<Response> {
  const url = new URL(c.req.url);
  for (const key of new Set(url.searchParams.keys())) {
    if (url.searchParams.getAll(key).length > 1)
      return crestError(c, 400, `parameter ${key} was given twice`);
    if (key.startsWith("_") && !POST_PARAMS.has(key))
      return crestError(c, 400, `Unrecognized request parameter '${key}'`);
  }
  const requested = url.searchParams.get("_action");
  if (!requested)
    return crestError(c, 400, `an _action is required (one of ${Object.keys(ACTIONS).join(", ")})`);
  const action = actionNamed(requested);
  if (!action)
    return crestError(
      c,
      400,
      `Action ${requested} not supported (one of ${Object.keys(ACTIONS).join(", ")})`,
    );
  // The very table spec-contract.test.ts checks against the document.
  const needed = AM_OPERATION_SCOPES[action.operation] ?? [];
  const scopes = claimsOf(c)?.scopes ?? new Set<string>();
  if (!satisfies(scopes, needed))
    return crestError(
      c,
      403,
      `${action.name} needs scope ${needed.map((alt) => alt.join(" and ")).join(" or ")}`,
    );
  const body = await jsonObject(c, { emptyIsObject: true });
  if (typeof body === "string") return crestError(c, 400, body);
  const ctx: ActionContext = { c, core, realm, body, actor: await actorOf(core, c), scopes };
  return action.run(ctx);
}

async function runQuery(c: FaceContext, core: ServerCore, realm: string): Promise<Response> {
  const q = queryParams(c);
  if (typeof q === "string") return crestError(c, 400, q);
  const page = await core.am.query(realm, q.input);
  if (!page.ok) return crestError(c, 400, page.error.message);
  return reply(c, queryResult(page.value, core.sessions.idleMs("authenticated"), q.fields, q.policy));
}

/** PingAM's token endpoints (`/am/oauth2[/realms/root[/realms/<name>]]/access_token`): ours, under its paths. */
export function amOAuthRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  for (const path of [
    "/access_token",
    "/realms/root/access_token",
    "/realms/root/realms/:realm/access_token",
  ])
    app.post(path, tokenEndpoint(core));
  return app;
}

/** PingAM's /json/sessions: actions by POST `?_action=`, queries by GET `?_queryFilter=`. */
export function amSessionRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  const guard = bearerAuth(core, {
    realm: "am",
    requirement: AM_SESSIONS_READ,
    what: "the sessions endpoint",
    render: crestError,
  });
  for (const path of SESSION_PATHS.flatMap((p) => [p, `${p}/`])) {
    app.use(path, guard, apiVersion());
    app.use(path, async (c, next) => {
      if (!realmOf(c, core))
        return crestError(c, 404, `Realm "${realmPath(c.req.param("realm"))}" not found`);
      await next();
    });
    app.get(path, (c) => runQuery(c, core, realmOf(c, core)!));
    app.post(path, (c) => runAction(c, core, realmOf(c, core)!));
    app.all(path, (c) =>
      crestError(c, 405, `${c.req.method} is not supported here (GET to query, POST an _action)`),
    );
  }
  return app;
}
