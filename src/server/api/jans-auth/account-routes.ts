import type { Hono } from "hono";
import type { ServerCore } from "../../core/core.js";
import { isoDate } from "../../core/dates.js";
import type { LoginRefusal } from "../../core/users.js";
import { crossSite } from "../csrf.js";
import { personActor } from "../kit/actor.js";
import { type FaceEnv, face } from "../kit/env.js";
import { apiError, STATUS_OF } from "../kit/errors.js";
import { remoteAddress } from "../request-info.js";
import { browserSession, fieldsOf } from "./browser.js";

// A signed-in person's own account: their sessions (view, and end any with the password
// re-entered, ASVS 7.5.2) and their password (the other sessions end, ASVS 7.4.3).

/** A wrong password re-entered is a refusal of the action (403), not of the caller, who is signed in. */
const recheckStatus = (e: LoginRefusal) => (e.kind === "unauthorized" ? 403 : STATUS_OF[e.kind]);

export function accountRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();

  /** The caller's session and user, after re-checking the password when one is asked for. */
  const caller = async (c: Parameters<typeof browserSession>[0]) => {
    const session = await browserSession(c, core);
    if (session?.state !== "authenticated" || !session.userDn) return undefined;
    const user = await core.users.getByDn(session.userDn);
    return user && !user.disabled ? { session: await core.sessions.touch(session), user } : undefined;
  };

  app.get("/restv1/account/sessions", async (c) => {
    const me = await caller(c);
    if (!me) return apiError(c, 401, "sign in first");
    const mine = await core.sessions.ofUser(me.user.dn);
    return c.json({
      entries: mine.map((s) => ({
        sid: s.sid,
        current: s.sid === me.session.sid,
        created: isoDate(s.createdAt),
        lastUsed: isoDate(s.lastUsedAt),
        expires: isoDate(s.expiresAt),
        ip: s.attributes.remote_ip ?? null,
        userAgent: s.attributes.user_agent ?? null,
      })),
    });
  });

  app.post("/restv1/account/sessions/end", async (c) => {
    if (crossSite(c)) return apiError(c, 403, "cross-site request refused");
    const me = await caller(c);
    if (!me) return apiError(c, 401, "sign in first");
    const parsed = await fieldsOf(c);
    if (typeof parsed === "string" || parsed.kind !== "json")
      return apiError(c, 400, "a JSON body is required");
    const { password, sid, scope } = parsed.fields;
    const check = await core.users.authenticate(me.user.username, password ?? "", remoteAddress(c));
    if (!check.ok) return apiError(c, recheckStatus(check.error), "password check failed");
    const actor = personActor(c, "user", me.user.username);
    if (scope === "others") {
      const r = await core.sessions.revokeUser(me.user.dn, actor, me.session.sid);
      return c.json({ ended: r.ok ? r.value.length : 0 });
    }
    const mine = await core.sessions.ofUser(me.user.dn);
    if (!sid || !mine.some((s) => s.sid === sid)) return apiError(c, 404, "no such session of yours");
    const r = await core.sessions.delete(sid, actor);
    return r.ok ? c.json({ ended: 1 }) : apiError(c, 404, "no such session of yours");
  });

  app.post("/restv1/account/password", async (c) => {
    if (crossSite(c)) return apiError(c, 403, "cross-site request refused");
    const me = await caller(c);
    if (!me) return apiError(c, 401, "sign in first");
    const parsed = await fieldsOf(c);
    if (typeof parsed === "string" || parsed.kind !== "json")
      return apiError(c, 400, "a JSON body is required");
    const { current_password: current, new_password: next } = parsed.fields;
    if (!current || !next) return apiError(c, 400, "current_password and new_password are required");
    const check = await core.users.authenticate(me.user.username, current, remoteAddress(c));
    if (!check.ok) return apiError(c, recheckStatus(check.error), "current password check failed");
    const actor = personActor(c, "user", me.user.username);
    const ended = await core.users.setPassword(me.user.dn, next, actor, me.session.sid);
    if (!ended.ok) return apiError(c, 400, ended.error.message);
    core.log.info("password changed", {});
    return c.json({ endedSessions: ended.value });
  });

  return app;
}
