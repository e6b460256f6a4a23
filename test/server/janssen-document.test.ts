import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { load as parse } from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adminToken,
  loginOverHttp,
  ROOT,
  type RunningServer,
  SERVER_BIN,
  startServer,
} from "../helpers/spawn-server.js";

// The real Janssen config-api document, unchanged, read from ../shared.
const JANS = resolve(ROOT, "../shared/specs/jans-config-api.yaml");
type Op = {
  operationId: string;
  tags: string[];
  parameters?: { name: string; in: string }[];
  security?: Record<string, string[]>[];
};
type Doc = { paths: Record<string, Record<string, Op>> };

const doc = parse(readFileSync(JANS, "utf8")) as Doc;
const allOps = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
);
const ops = allOps.filter((o) => o.op.tags?.includes("Auth - Session Management"));
const byId = (id: string) => allOps.find((o) => o.op.operationId === id)!;

let s: RunningServer;
let token: string;
let userDn: string;
let sid: string;

beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024 });
  const out = execFileSync(
    process.execPath,
    [SERVER_BIN, "user", "create", "--username", "jdoc", "--password-stdin", "--db", s.db],
    {
      input: "jdoc-password-long\n",
    },
  );
  userDn = (JSON.parse(out.toString()) as { dn: string }).dn;
  for (let i = 0; i < 2; i++) {
    sid = ((await (await loginOverHttp(s, "jdoc", "jdoc-password-long")).json()) as { sid: string }).sid;
  }
  token = await adminToken(s);
});
afterAll(async () => {
  await s?.stop();
});

function call(
  id: string,
  pathParams: Record<string, string> = {},
  query: Record<string, string> = {},
  bearer: string | null = token,
) {
  const { path, method, op } = byId(id);
  const declared = new Set((op.parameters ?? []).map((p) => p.name));
  for (const name of [...Object.keys(pathParams), ...Object.keys(query)]) expect(declared).toContain(name);
  const url = path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(pathParams[n]!));
  const qs = new URLSearchParams(query).toString();
  return fetch(`${s.url}/jans-config-api${url}${qs ? `?${qs}` : ""}`, {
    method,
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
  });
}

describe("the Janssen config-api document drives the reference server unchanged", () => {
  it("describes exactly our five session operations", () => {
    expect(ops.map((o) => `${o.method} ${o.path} ${o.op.operationId}`).sort()).toEqual([
      "DELETE /api/v1/jans-auth-server/session/sid/{sid} delete-session",
      "DELETE /api/v1/jans-auth-server/session/user/{userDn} revoke-user-session",
      "GET /api/v1/jans-auth-server/session get-sessions",
      "GET /api/v1/jans-auth-server/session/search search-session",
      "GET /api/v1/jans-auth-server/session/sid/{sid} get-session-by-id",
    ]);
  });

  it("runs each of them", async () => {
    const all = await call("get-sessions");
    expect(await all.json()).toMatchObject({ totalEntriesCount: 2 });
    const found = await call(
      "search-session",
      {},
      {
        limit: "10",
        startIndex: "0",
        sortBy: "expirationDate",
        sortOrder: "descending",
        pattern: "jdoc",
        fieldValuePair: `userDn=${JSON.stringify(userDn)},expirationDate>2025-09-25`,
      },
    );
    expect(await found.json()).toMatchObject({ totalEntriesCount: 2, entriesCount: 2 });
    expect(await (await call("get-session-by-id", { sid })).json()).toMatchObject({ sid, userDn });
    expect((await call("delete-session", { sid })).status).toBe(204);
    expect((await call("revoke-user-session", { userDn })).status).toBe(204);
    expect((await call("revoke-user-session", { userDn })).status).toBe(404);
  });
});

describe("responses validate against the Janssen document's schemas", () => {
  it("get-sessions, search-session and get-session-by-id match SessionPagedResult / SessionId; the deletes answer 204 with no body", async () => {
    const { loadModel } = await import("../../src/spec/load.js");
    const { validateBody } = await import("../../src/spec/validate.js");
    const model = await loadModel(readFileSync(JANS, "utf8"), JANS, { toolVersion: "test" });
    const check = async (id: string, res: Response) => {
      const op = model.operations.find((o) => o.id === id)!;
      expect(res.status).toBe(200);
      const problems = await validateBody(model.openapi, op.responseSchema, model.schemas, await res.json());
      expect(problems, `${id}: ${JSON.stringify(problems[0])}`).toEqual([]);
    };
    // A user session, an unauthenticated one (no userDn, no authenticationTime) and one more.
    const client = JSON.parse(
      execFileSync(process.execPath, [SERVER_BIN, "client", "create", "--name", "portal", "--db", s.db], {
        encoding: "utf8",
      }),
    ).client_id as string;
    await fetch(`${s.url}/jans-auth/restv1/authorize?client_id=${client}`);
    const user = (await loginOverHttp(s, "jdoc", "jdoc-password-long")).json() as Promise<{ sid: string }>;
    const fresh = (await user).sid;
    await check("get-sessions", await call("get-sessions"));
    await check("search-session", await call("search-session", {}, { limit: "5", pattern: "jdoc" }));
    await check("get-session-by-id", await call("get-session-by-id", { sid: fresh }));
    // Janssen's TUI deletes by sessionAttributes.sid.
    const page = (await (await call("get-sessions")).json()) as {
      entries: { sessionAttributes: { sid: string }; deletable: boolean }[];
    };
    const target = page.entries.find((e) => e.sessionAttributes.sid === fresh)!;
    expect(target.deletable).toBe(true);
    const del = await call("delete-session", { sid: target.sessionAttributes.sid });
    expect([del.status, await del.text()]).toEqual([204, ""]);
  });
});

// What Janssen's CLI and TUI call at start-up: the health tag, persistence, plugins, attributes.
const HEALTH = allOps.filter((o) => o.op.tags?.includes("Health - Check")).map((o) => o.op.operationId);
const STARTUP = [
  ...HEALTH,
  "get-properties-persistence",
  "get-plugins",
  "get-plugin-by-name",
  "get-attributes",
];

describe("the config-api operations Janssen's clients call at start-up", () => {
  it("are guarded exactly as the document declares: the health checks open, the others by scope", async () => {
    const { STARTUP_OPERATION_SCOPES } = await import("../../src/server/core/oauth/scopes.js");
    expect(HEALTH.sort()).toEqual([
      "get-app-version",
      "get-config-health",
      "get-config-health-live",
      "get-config-health-ready",
      "get-server-stat",
      "get-service-status",
    ]);
    const declared = Object.fromEntries(
      STARTUP.map((id) => [id, (byId(id).op.security ?? []).map((alt) => alt.oauth2 ?? [])] as const).filter(
        ([, alts]) => alts.length > 0,
      ),
    );
    expect(declared).toEqual(STARTUP_OPERATION_SCOPES);
    for (const id of STARTUP) {
      const params: Record<string, string> = id === "get-plugin-by-name" ? { pluginName: "scim" } : {};
      const anonymous = await call(id, params, {}, null);
      expect(anonymous.status, id).toBe(id in STARTUP_OPERATION_SCOPES ? 401 : 200);
    }
    // A token with a session scope only is not enough for the guarded ones.
    const narrow = await adminToken(s, "https://jans.io/oauth/jans-auth-server/session.readonly");
    const res = await call("get-plugins", {}, {}, narrow);
    expect(res.status).toBe(403);
  });

  it("answer what the document's response schemas describe, truthfully for this server", async () => {
    const { loadModel } = await import("../../src/spec/load.js");
    const { validateBody } = await import("../../src/spec/validate.js");
    const model = await loadModel(readFileSync(JANS, "utf8"), JANS, { toolVersion: "test" });
    const answer = async (id: string, params: Record<string, string> = {}, query = {}) => {
      const res = await call(id, params, query);
      expect(res.status, id).toBe(200);
      const body: unknown = await res.json();
      const op = model.operations.find((o) => o.id === id)!;
      const problems = await validateBody(model.openapi, op.responseSchema, model.schemas, body);
      expect(problems, `${id}: ${JSON.stringify(problems[0])}`).toEqual([]);
      return body;
    };
    // The TUI exits unless every check of get-config-health is UP.
    expect(await answer("get-config-health")).toEqual([
      { name: "jans-config-api liveness", status: "UP" },
      { name: "jans-config-api readiness", status: "UP" },
    ]);
    expect(await answer("get-config-health-live")).toMatchObject({ status: "UP" });
    expect(await answer("get-config-health-ready")).toMatchObject({ status: "UP" });
    expect(await answer("get-server-stat")).toMatchObject({ dbType: "sqlite" });
    expect(await answer("get-app-version")).toHaveProperty(["opcli-server"]);
    expect(await answer("get-service-status")).toEqual({
      "jans-auth": "Running",
      "jans-config-api": "Running",
    });
    expect(await answer("get-service-status", {}, { service: "jans-scim" })).toEqual({
      "jans-scim": "Not present",
    });
    expect(await answer("get-properties-persistence")).toEqual({
      productName: "SQLite",
      driverName: "better-sqlite3",
    });
    expect(await answer("get-plugins")).toEqual([]);
    expect(await answer("get-plugin-by-name", { pluginName: "scim" })).toBe(false);
    // The TUI pages attributes from startIndex 1 until a page is empty.
    expect(await answer("get-attributes", {}, { limit: "100", startIndex: "1" })).toEqual({
      start: 1,
      totalEntriesCount: 0,
      entriesCount: 0,
      entries: [],
    });
  });

  it("refuse a malformed attributes page with a config-api 400", async () => {
    const bad: Record<string, string>[] = [{ limit: "ten" }, { limit: "0" }, { startIndex: "-1" }];
    for (const query of bad) {
      const res = await call("get-attributes", {}, query);
      expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([400, "400"]);
    }
  });
});
