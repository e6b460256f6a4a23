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
type Op = { operationId: string; tags: string[]; parameters?: { name: string; in: string }[] };
type Doc = { paths: Record<string, Record<string, Op>> };

const doc = parse(readFileSync(JANS, "utf8")) as Doc;
const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, op]) => op.tags?.includes("Auth - Session Management"))
    .map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
);
const byId = (id: string) => ops.find((o) => o.op.operationId === id)!;

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

function call(id: string, pathParams: Record<string, string> = {}, query: Record<string, string> = {}) {
  const { path, method, op } = byId(id);
  const declared = new Set((op.parameters ?? []).map((p) => p.name));
  for (const name of [...Object.keys(pathParams), ...Object.keys(query)]) expect(declared).toContain(name);
  const url = path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(pathParams[n]!));
  const qs = new URLSearchParams(query).toString();
  return fetch(`${s.url}/jans-config-api${url}${qs ? `?${qs}` : ""}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
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
