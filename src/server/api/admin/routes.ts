import type { Hono } from "hono";
import { type AdminSession, type AdminUser, AUDIT_TYPES } from "../../core/admin.js";
import type { ServerCore } from "../../core/core.js";
import { ADMIN_READ, ADMIN_WRITE } from "../../core/oauth/scopes.js";
import { userIdOfDn } from "../../store/query.js";
import type { AlarmRecord, ClientRecord, SessionEvent, SessionEventType } from "../../store/types.js";
import { actorOf } from "../kit/actor.js";
import { jsonObject } from "../kit/body.js";
import { type FaceContext, type FaceEnv, face } from "../kit/env.js";
import { apiError, coreError } from "../kit/errors.js";
import { isPaging, pagingOf } from "../kit/paging.js";
import { adminAuth } from "./auth.js";

// The admin console's JSON API (spec/admin.yaml): thin routes over core.admin.

const iso = (ms: number | null) => (ms === null || ms === 0 ? null : new Date(ms).toISOString());

export const sessionJson = (s: AdminSession) => ({
  ...s,
  createdAt: iso(s.createdAt),
  lastActiveAt: iso(s.lastActiveAt),
  expiresAt: iso(s.expiresAt),
  absoluteExpiresAt: iso(s.absoluteExpiresAt),
  idleExpiresAt: iso(s.idleExpiresAt),
});
export const userJson = (u: AdminUser) => ({
  ...u,
  lockedUntil: iso(u.lockedUntil),
  lastLoginAt: iso(u.lastLoginAt),
});
export const alarmJson = (a: AlarmRecord) => ({
  id: a.id,
  kind: a.kind,
  userId: userIdOfDn(a.userDn),
  username: a.username,
  raisedAt: iso(a.raisedAt),
  addresses: (a.detail.addresses ?? "").split(" ").filter(Boolean),
  acknowledgedAt: iso(a.acknowledgedAt),
  acknowledgedBy: a.acknowledgedBy,
});
export const eventJson = (e: SessionEvent) => ({
  id: e.id,
  at: iso(e.at),
  type: e.type,
  userId: userIdOfDn(e.userDn),
  username: e.username,
  sessionId: e.sid,
  actorType: e.actorType,
  actor: e.actor,
  ipAddress: e.remoteIp,
  detail: e.detail,
});

export function adminApiRoutes(core: ServerCore): Hono<FaceEnv> {
  const app = face();
  const read = adminAuth(core, ADMIN_READ, apiError);
  const write = adminAuth(core, ADMIN_WRITE, apiError);
  const { admin } = core;
  const paged = (c: FaceContext) => pagingOf(c, admin.maxLimit);

  app.get("/sessions", read, async (c) => {
    const p = paged(c);
    if (!isPaging(p)) return coreError(c, p);
    const order = c.req.query("order");
    if (order !== undefined && order !== "asc" && order !== "desc")
      return apiError(c, 400, "order is asc or desc");
    const r = await admin.listSessions({
      ...p,
      ...(c.req.query("userId") ? { userId: c.req.query("userId")! } : {}),
      ...(c.req.query("ip") ? { ip: c.req.query("ip")! } : {}),
      ...(c.req.query("sort") ? { sort: c.req.query("sort")! } : {}),
      ...(order ? { order } : {}),
    });
    if (!r.ok) return coreError(c, r.error);
    return c.json({ total: r.value.total, ...p, items: r.value.items.map(sessionJson) });
  });

  app.delete("/sessions/:id", write, async (c) => {
    const r = await admin.terminate(c.req.param("id"), await actorOf(core, c));
    return r.ok ? c.body(null, 204) : coreError(c, r.error);
  });

  app.delete("/sessions", write, async (c) => {
    const userId = c.req.query("userId");
    if (!userId) return apiError(c, 400, "userId is required: whose sessions to terminate");
    const r = await admin.logoutAll(userId, await actorOf(core, c));
    return r.ok ? c.json(r.value) : coreError(c, r.error);
  });

  app.get("/users", read, async (c) => {
    const p = paged(c);
    if (!isPaging(p)) return coreError(c, p);
    const search = c.req.query("search");
    const r = await admin.listUsers({ ...p, ...(search ? { search } : {}) });
    return c.json({ total: r.total, ...p, items: r.items.map(userJson) });
  });

  // A client's back-channel logout registration (OpenID Back-Channel Logout 1.0 section 2.2).
  const clientJson = (cl: ClientRecord) => ({
    clientId: cl.clientId,
    name: cl.name,
    backchannel_logout_uri: cl.backchannelLogoutUri,
    backchannel_logout_session_required: cl.backchannelLogoutSessionRequired,
  });
  app.get("/clients/:id", read, async (c) => {
    const cl = await core.clients.get(c.req.param("id"));
    return cl ? c.json(clientJson(cl)) : apiError(c, 404, "no such client");
  });
  app.patch("/clients/:id", write, async (c) => {
    const body = await jsonObject(c);
    if (typeof body === "string") return apiError(c, 400, body);
    const uri = body.backchannel_logout_uri;
    const required = body.backchannel_logout_session_required;
    if (uri !== undefined && uri !== null && typeof uri !== "string")
      return apiError(c, 400, "backchannel_logout_uri must be a string or null");
    if (required !== undefined && typeof required !== "boolean")
      return apiError(c, 400, "backchannel_logout_session_required must be true or false");
    const cl = await core.clients.update(c.req.param("id"), {
      ...(uri !== undefined ? { backchannelLogoutUri: (uri as string | null) || null } : {}),
      ...(required !== undefined ? { backchannelLogoutSessionRequired: required } : {}),
    });
    return cl.ok ? c.json(clientJson(cl.value)) : coreError(c, cl.error);
  });

  app.post("/users/:id/logout-all", write, async (c) => {
    const r = await admin.logoutAll(c.req.param("id"), await actorOf(core, c));
    return r.ok ? c.json(r.value) : coreError(c, r.error);
  });

  for (const action of ["lock", "unlock", "disable", "enable"] as const) {
    app.post(`/users/:id/${action}`, write, async (c) => {
      const id = c.req.param("id");
      const actor = await actorOf(core, c);
      const r =
        action === "lock" || action === "unlock"
          ? await admin.setLocked(id, action === "lock", actor)
          : await admin.setDisabled(id, action === "disable", actor);
      if (!r.ok) return coreError(c, r.error);
      const value = "lockedUntil" in r.value ? { lockedUntil: iso(r.value.lockedUntil) } : r.value;
      return c.json({ userId: id, ...value });
    });
  }

  app.get("/alarms", read, async (c) => {
    const p = paged(c);
    if (!isPaging(p)) return coreError(c, p);
    const open = c.req.query("open");
    if (open !== undefined && open !== "true" && open !== "false")
      return apiError(c, 400, "open is true or false");
    const userId = c.req.query("userId");
    const r = await admin.alarms({
      ...p,
      ...(open ? { open: open === "true" } : {}),
      ...(userId ? { userId } : {}),
    });
    return c.json({ total: r.total, ...p, items: r.entries.map(alarmJson) });
  });

  app.post("/alarms/:id/acknowledge", write, async (c) => {
    const id = c.req.param("id");
    if (!/^\d{1,15}$/.test(id)) return apiError(c, 404, "no open alarm with that id");
    const actor = await actorOf(core, c);
    const r = await admin.acknowledge(Number(id), actor);
    return r.ok ? c.json(r.value) : coreError(c, r.error);
  });

  app.get("/audit", read, async (c) => {
    const p = paged(c);
    if (!isPaging(p)) return coreError(c, p);
    const type = c.req.query("type");
    if (type !== undefined && !AUDIT_TYPES.includes(type as SessionEventType))
      return apiError(c, 400, `type is one of ${AUDIT_TYPES.join(", ")}`);
    const userId = c.req.query("userId");
    const range: { since?: number; until?: number } = {};
    for (const key of ["since", "until"] as const) {
      const raw = c.req.query(key);
      if (raw === undefined) continue;
      const t = Date.parse(raw);
      if (!Number.isFinite(t)) return apiError(c, 400, `${key} is a date-time (2026-01-31T12:00:00Z)`);
      range[key] = t;
    }
    const r = await admin.audit({
      ...p,
      ...range,
      ...(userId ? { userId } : {}),
      ...(type ? { type: type as SessionEventType } : {}),
    });
    return c.json({ total: r.total, ...p, items: r.entries.map(eventJson) });
  });
  return app;
}
