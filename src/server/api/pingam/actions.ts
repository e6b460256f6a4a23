import type { ServerCore } from "../../core/core.js";
import type { Actor } from "../../core/events.js";
import { AM_SESSIONS_WRITE, satisfies } from "../../core/oauth/scopes.js";
import type { FaceContext } from "../kit/env.js";
import { crestCoreError, crestError } from "../kit/errors.js";
import { reply } from "./crest.js";
import { refreshed, sessionInfo, validation } from "./render.js";

// The actions of PingAM's sessions endpoint, each with the scope it needs and its handler.

export interface ActionContext {
  c: FaceContext;
  core: ServerCore;
  realm: string;
  body: Record<string, unknown>;
  actor: Actor;
  /** The caller's token's scopes. */
  scopes: ReadonlySet<string>;
}

interface Action {
  name: string;
  /** Its operation in spec/pingam-sessions.yaml, whose scopes (AM_OPERATION_SCOPES) it needs. */
  operation: string;
  run(ctx: ActionContext): Promise<Response>;
}

/** More handles than this in one logoutByHandle are refused. */
export const MAX_HANDLES = 1000;

function tokenIdOf(ctx: ActionContext): string | Response {
  const t = ctx.body.tokenId;
  if (typeof t !== "string" || t.trim() === "") return crestError(ctx.c, 400, "tokenId is required");
  return t;
}

/** Runs with the body's tokenId, or answers 400 without one. */
function withToken(run: (ctx: ActionContext, tokenId: string) => Promise<Response>) {
  return (ctx: ActionContext) => {
    const t = tokenIdOf(ctx);
    return typeof t === "string" ? run(ctx, t) : Promise.resolve(t);
  };
}

function info(reset: boolean) {
  return withToken(async ({ c, core, realm, actor }, tokenId) => {
    const r = await core.am.info(realm, tokenId, reset, actor);
    if (!r.ok) return crestCoreError(c, r.error);
    return reply(c, sessionInfo(r.value, core.sessions.idleMs("authenticated"), core.config));
  });
}

/** validate resets the idle time (a write) only for a caller allowed to write; a reader's never does. */
const validate = withToken(async ({ c, core, realm, actor, scopes }, tokenId) => {
  const refresh = c.req.query("refresh");
  if (refresh !== undefined && refresh !== "true" && refresh !== "false")
    return crestError(c, 400, "refresh must be true or false");
  const writer = satisfies(scopes, AM_SESSIONS_WRITE);
  if (refresh === "true" && !writer)
    return crestError(c, 403, "validate with refresh=true needs scope fr:am:*");
  return reply(c, validation(await core.am.validate(realm, tokenId, writer && refresh !== "false", actor)));
});

const refresh = withToken(async ({ c, core, realm, actor }, tokenId) => {
  const r = await core.am.refresh(realm, tokenId, actor);
  if (!r.ok) return crestCoreError(c, r.error);
  return reply(c, refreshed(r.value, core.am.times(r.value)));
});

const logout = withToken(async ({ c, core, realm, actor }, tokenId) => {
  const ended = await core.am.logout(realm, tokenId, actor);
  return reply(c, { result: ended ? "Successfully logged out" : "Token has expired" });
});

async function logoutByHandle({ c, core, realm, body, actor }: ActionContext): Promise<Response> {
  const handles = body.sessionHandles;
  if (!Array.isArray(handles) || handles.some((h) => typeof h !== "string" || h.length > 256))
    return crestError(c, 400, "sessionHandles must be an array of session handles");
  if (handles.length > MAX_HANDLES)
    return crestError(c, 400, `at most ${MAX_HANDLES} sessionHandles at once`);
  return reply(c, { result: await core.am.logoutByHandle(realm, handles as string[], actor) });
}

async function logoutByUser({ c, core, realm, body, actor }: ActionContext): Promise<Response> {
  if (typeof body.username !== "string" || body.username === "")
    return crestError(c, 400, "username (the user's id) is required");
  await core.am.logoutByUser(realm, body.username, actor);
  return reply(c, { result: true });
}

const getProperties = withToken(async ({ c, core, realm }, tokenId) => {
  const r = await core.am.properties(realm, tokenId);
  return r.ok ? reply(c, r.value) : crestCoreError(c, r.error);
});

const updateProperties = withToken(async ({ c, core, realm, body }, tokenId) => {
  const { tokenId: _token, ...changes } = body;
  const r = await core.am.updateProperties(realm, tokenId, changes);
  return r.ok ? reply(c, r.value) : crestCoreError(c, r.error);
});

export const ACTIONS: Readonly<Record<string, Action>> = Object.fromEntries(
  (
    [
      ["getSessionInfo", "get-session-info", info(false)],
      ["getSessionInfoAndResetIdleTime", "get-session-info-and-reset-idle-time", info(true)],
      ["validate", "validate-session", validate],
      ["refresh", "refresh-session", refresh],
      ["logout", "logout-session", logout],
      ["logoutByHandle", "logout-by-handle", logoutByHandle],
      ["logoutByUser", "logout-by-user", logoutByUser],
      ["getSessionProperties", "get-session-properties", getProperties],
      ["updateSessionProperties", "update-session-properties", updateProperties],
    ] as const
  ).map(([name, operation, run]) => [name, { name, operation, run }]),
);

/** Action names are matched without regard to case, as PingAM does. */
export function actionNamed(requested: string): Action | undefined {
  const lower = requested.toLowerCase();
  return Object.values(ACTIONS).find((a) => a.name.toLowerCase() === lower);
}
