import type { Context } from "hono";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { ServerCore } from "../../core/core.js";
import { isoDate } from "../../core/dates.js";
import type { SessionRecord } from "../../store/types.js";
import { apiError, coreError } from "../errors.js";

const COOKIE = "session_id";
const COOKIE_PATH = "/jans-auth";

function remoteIp(c: Context): string {
  // Only the socket address: X-Forwarded-For is client-controlled here.
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "unknown";
}

function status(s: SessionRecord | undefined) {
  if (!s) return { state: "unknown" as const };
  return {
    state: s.state,
    sid: s.sid,
    ...(s.attributes.auth_user ? { auth_user: s.attributes.auth_user } : {}),
    auth_time: s.authTime === null ? null : isoDate(s.authTime),
    expires_at: isoDate(s.expiresAt),
  };
}

async function credentials(c: Context): Promise<Record<string, string> | null> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  try {
    if (type.startsWith("application/json")) {
      const body = (await c.req.json()) as unknown;
      if (typeof body !== "object" || body === null) return null;
      return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
    }
    if (type.startsWith("application/x-www-form-urlencoded")) {
      return Object.fromEntries(new URLSearchParams(await c.req.text()));
    }
  } catch {
    return null;
  }
  return null;
}

function issueCookie(c: Context, cookie: string): void {
  setCookie(c, COOKIE, cookie, { path: COOKIE_PATH, httpOnly: true, sameSite: "Lax" });
}

export function sessionRoutes(core: ServerCore): Hono {
  const app = new Hono();
  const { config, sessions, log } = core;

  app.get("/restv1/authorize", async (c) => {
    const clientId = c.req.query("client_id") ?? "";
    if (clientId === "" || clientId.length > 256) return apiError(c, 400, "client_id is required");
    const attributes: Record<string, string> = {
      client_id: clientId,
      remote_ip: remoteIp(c),
      user_agent: c.req.header("user-agent") ?? "",
    };
    const acrValues = c.req.query("acr_values");
    if (acrValues) attributes.acr_values = acrValues;
    const created = await sessions.create("unauthenticated", null, attributes);
    if (!created.ok) return coreError(c, created.error);
    issueCookie(c, created.value.cookie);
    return c.json(status(created.value.session));
  });

  app.post("/restv1/login", async (c) => {
    const body = await credentials(c);
    if (!body?.username || !body.password) return apiError(c, 400, "username and password are required");
    const pending = await sessions.byCookie(getCookie(c, COOKIE));
    // Every attempt counts as a use of the browser's session.
    if (pending) await sessions.touch(pending);
    const outcome = await core.users.authenticate(body.username, body.password);
    if (!outcome.ok) {
      if (outcome.status === 423) c.header("Retry-After", String(outcome.retryAfterSeconds));
      else log.info("login failed");
      return apiError(c, outcome.status, outcome.message);
    }
    const user = outcome.user;
    const attributes: Record<string, string> = {
      auth_user: user.username,
      acr: body.acr || "simple_password_auth",
      remote_ip: remoteIp(c),
      user_agent: c.req.header("user-agent") ?? "",
      ...(body.client_id ? { client_id: body.client_id } : {}),
    };
    if (pending?.state === "unauthenticated") {
      const result = await sessions.authenticate(pending, user.dn, attributes);
      if (result === "limit")
        return apiError(c, 409, `user already has ${config.maxSessionsPerUser} sessions`);
      if (result === "ok") return c.json(status(await sessions.byCookie(getCookie(c, COOKIE))));
    }
    const created = await sessions.create("authenticated", user.dn, attributes);
    if (!created.ok) return coreError(c, created.error);
    issueCookie(c, created.value.cookie);
    log.info("login", { user: user.username });
    return c.json(status(created.value.session));
  });

  app.get("/restv1/session_status", async (c) => {
    const session = await sessions.byCookie(getCookie(c, COOKIE));
    c.header("Cache-Control", "no-store");
    return c.json(status(session && (await sessions.touch(session))));
  });

  const endSession = async (c: Context) => {
    const session = await sessions.byCookie(getCookie(c, COOKIE));
    deleteCookie(c, COOKIE, { path: COOKIE_PATH });
    if (!session || !(await sessions.end(session))) {
      return apiError(c, 404, "no live session for this browser");
    }
    return c.body(null, 204);
  };
  app.post("/restv1/end_session", endSession);
  app.get("/restv1/end_session", endSession);

  return app;
}
