import type { Hono } from "hono";
import { createApp, createDeps } from "../../src/server/app.js";
import { createClient } from "../../src/server/clients.js";
import { ManualClock } from "../../src/server/clock.js";
import { resolveConfig, type ServerConfig } from "../../src/server/config.js";
import type { ServerDeps } from "../../src/server/deps.js";
import { SqliteStore } from "../../src/server/store/sqlite.js";
import { createUser } from "../../src/server/users.js";

export const PASSWORD = "correct-horse-battery";

export interface Harness {
  app: Hono;
  deps: ServerDeps;
  clock: ManualClock;
  admin: { client_id: string; client_secret: string };
  token(scopes?: string[]): Promise<string>;
  login(username: string, init?: { cookie?: string; password?: string }): Promise<Response>;
  api(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  close(): void;
}

/** An in-process server over an in-memory SQLite store and a manual clock (cheap scrypt). */
export async function harness(config: Partial<ServerConfig> = {}): Promise<Harness> {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
  const store = new SqliteStore({ path: ":memory:" });
  const deps = await createDeps({
    store,
    clock,
    config: resolveConfig({ passwordHashCost: 1024, ...config }),
    issuer: "test-issuer",
  });
  const app = createApp(deps);
  const admin = createClient(store, clock, "admin");
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
  };
}

export async function addUser(h: Harness, username: string): Promise<string> {
  return (await createUser(h.deps.store, h.deps.config, username, PASSWORD)).dn;
}

export function cookieOf(res: Response): string {
  const m = /session_id=([^;]+)/.exec(res.headers.get("set-cookie") ?? "");
  if (!m) throw new Error("no session_id cookie");
  return m[1]!;
}
