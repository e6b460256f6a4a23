import type { Hono } from "hono";
import { createApp } from "../../src/server/app.js";
import { ManualClock } from "../../src/server/core/clock.js";
import { resolveConfig, type ServerConfig } from "../../src/server/core/config.js";
import { type CoreOptions, createCore, type ServerCore } from "../../src/server/core/core.js";
import { KNOWN_SCOPES } from "../../src/server/core/oauth/scopes.js";
import { SqliteStore } from "../../src/server/store/sqlite/store.js";
import type { Store } from "../../src/server/store/types.js";
import { must } from "./must.js";

export const PASSWORD = "correct-horse-battery";

export interface Harness {
  app: Hono;
  deps: ServerCore;
  clock: ManualClock;
  admin: { client_id: string; client_secret: string };
  token(scopes?: string[]): Promise<string>;
  login(username: string, init?: { cookie?: string; password?: string }): Promise<Response>;
  api(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  close(): Promise<void>;
  /** Registers a client; returns its id. */
  client(name?: string): Promise<string>;
  /** A form page's CSRF cookie and hidden token, as a browser would hold them. */
  csrf(page: string): Promise<{ cookie: string; token: string }>;
  /** Posts a form the way its page would (CSRF cookie and token included). */
  submit(page: string, action: string, fields: Record<string, string>, cookie?: string): Promise<Response>;
}

/** An in-process server over an in-memory SQLite store and a manual clock (cheap scrypt). */
export async function harness(
  config: Partial<ServerConfig> = {},
  extra: Pick<CoreOptions, "webhookIO" | "webhookRetryBaseMs" | "issuer"> & { store?: Store } = {},
): Promise<Harness> {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
  const { store: given, ...rest } = extra;
  const store = given ?? new SqliteStore({ path: ":memory:" });
  const deps = await createCore({
    store,
    clock,
    // Per-address login limits are tested on their own; elsewhere every request comes from "unknown".
    config: resolveConfig({ passwordHashCost: 1024, loginAttemptsPerAddressPerMinute: 0, ...config }),
    issuer: "test-issuer",
    ...rest,
  });
  const app = createApp(deps);
  const admin = must(await deps.clients.create("admin", KNOWN_SCOPES, { userinfoJwt: true })) as {
    client_id: string;
    client_secret: string;
  };
  const token = async (scopes?: string[]) => {
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (scopes) body.set("scope", scopes.join(" "));
    const res = await app.request("/jans-auth/restv1/token", {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${admin.client_id}:${admin.client_secret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body,
    });
    if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  return {
    app,
    deps,
    clock,
    admin,
    token,
    login: async (username, init = {}) =>
      app.request("/jans-auth/restv1/login", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "vitest",
          ...(init.cookie ? { cookie: `session_id=${init.cookie}` } : {}),
        },
        body: JSON.stringify({ username, password: init.password ?? PASSWORD }),
      }),
    // A fresh admin token per call unless one is given, since tests move the clock.
    api: async (path, init = {}) =>
      app.request(`/jans-config-api/api/v1/jans-auth-server/session${path}`, {
        ...init,
        headers: { authorization: `Bearer ${init.token ?? (await token())}`, ...(init.headers ?? {}) },
      }),
    close: () => store.close(),
    client: async (name = "portal") => must(await deps.clients.create(name, [])).client_id,
    csrf: async (page) => csrfOf(await app.request(page)),
    submit: async (page, action, fields, cookie) => {
      const { cookie: csrfCookie, token } = await csrfOf(
        await app.request(page, cookie ? { headers: { cookie } } : {}),
      );
      return app.request(action, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: [`csrf_token=${csrfCookie}`, ...(cookie ? [cookie] : [])].join("; "),
        },
        body: new URLSearchParams({ ...fields, csrf_token: token }),
      });
    },
  };
}

export async function addUser(h: Harness, username: string, roles: string[] = []): Promise<string> {
  return must(await h.deps.users.create(username, PASSWORD, { roles })).dn;
}

export function cookieOf(res: Response): string {
  const m = /session_id=([^;]+)/.exec(res.headers.get("set-cookie") ?? "");
  if (!m) throw new Error("no session_id cookie");
  return m[1]!;
}

/** The CSRF cookie a page set and the token its form carries (read from the HTML, as a browser would). */
export async function csrfOf(res: Response): Promise<{ cookie: string; token: string }> {
  const cookie = /csrf_token=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1] ?? "";
  const token = /name="csrf_token" value="([^"]*)"/.exec(await res.text())?.[1] ?? "";
  return { cookie, token };
}
