import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { janssenConfigApiToken, janssenSignIn } from "../helpers/janssen-cli.js";
import { must } from "../helpers/must.js";
import { type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

// Janssen's text UI (jans-cli-tui/cli_tui/jans_cli_tui.py) from start-up to its Sessions screen,
// replayed request by request as it sends them (through config_cli.py, "wrapped").

const API = "/jans-config-api/api/v1";
let h: Harness;
beforeAll(async () => {
  h = await harness();
  must(await h.deps.users.create("admin", PASSWORD, { roles: ["admin"] }));
  must(await h.deps.users.create("carol", PASSWORD));
  for (let i = 0; i < 3; i++) expect((await h.login("carol")).status).toBe(200);
});
afterAll(async () => h.close());

/** A config-api GET as config_cli.get_requests sends it: Bearer, Accept, User-inum, query params. */
function get(path: string, token: string, inum: string, params: Record<string, string> = {}) {
  const qs = new URLSearchParams(params).toString();
  return h.app.request(`${API}${path}${qs ? `?${qs}` : ""}`, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      "User-inum": inum,
      "Jans-Client": "jans-tui",
    },
  });
}

type Page = {
  start: number;
  totalEntriesCount: number;
  entries: { sessionAttributes: { sid: string }; deletable: boolean }[];
};

describe("Janssen's TUI starts, signs in and manages sessions against our server", () => {
  it("health, sign-in, persistence, plugins, attributes, then Sessions: search, delete, gone", async () => {
    // 1. Before anything else, with no token yet (config_cli sends "Bearer None"): every check UP.
    const health = await h.app.request(`${API}/health`, {
      headers: { authorization: "Bearer None", accept: "application/json", "Jans-Client": "jans-tui" },
    });
    expect(health.status).toBe(200);
    const checks = (await health.json()) as { status: string }[];
    expect(checks.length).toBeGreaterThan(0);
    expect(checks.every((c) => c.status === "UP")).toBe(true);

    // 2. check_connection and the device login, as the CLI's (its role check: 'admin' in jansAdminUIRole).
    const { tokens, ujwt } = await janssenSignIn(h, "admin");
    const claims = decodeJwt(ujwt);
    expect(claims.jansAdminUIRole).toContain("admin");
    const grant = await janssenConfigApiToken(h, tokens.access_token!, ujwt);
    expect(grant.status).toBe(200);
    const token = ((await grant.json()) as { access_token: string }).access_token;
    const inum = String(claims.inum);

    // 3. check_available_plugins: attributes paged from startIndex 1 until empty, persistence
    //    (an error popup unless 200), plugins (server-side plugins not listed are hidden).
    const attrs = await get("/attributes", token, inum, { limit: "100", startIndex: "1" });
    expect([attrs.status, ((await attrs.json()) as { entriesCount: number }).entriesCount]).toEqual([200, 0]);
    const persistence = await get("/jans-auth-server/config/persistence", token, inum);
    expect(persistence.status).toBe(200);
    // The Authn tab reads driverVersion.lower() with "" as its default: a string or nothing.
    const { driverVersion = "" } = (await persistence.json()) as { driverVersion?: unknown };
    expect(typeof driverVersion).toBe("string");
    const plugins = await get("/plugin", token, inum);
    expect([plugins.status, await plugins.json()]).toEqual([200, []]);

    // 4. Sessions (Alt-i): search by user name, 20 a page (a tall terminal), then expiring after now.
    const byUser = await get("/jans-auth-server/session/search", token, inum, {
      limit: "20",
      startIndex: "0",
      fieldValuePair: "auth_user=carol",
    });
    expect(byUser.status).toBe(200);
    const page = (await byUser.json()) as Page;
    expect(page.totalEntriesCount).toBe(3);
    const after = new Date(h.clock.now() - 60_000).toISOString().slice(0, 19).replace("T", " ");
    const byExpiry = await get("/jans-auth-server/session/search", token, inum, {
      limit: "20",
      startIndex: "0",
      fieldValuePair: `auth_user=carol,expirationDate>${after}`,
    });
    expect(((await byExpiry.json()) as Page).totalEntriesCount).toBe(3);

    // 5. Delete the selected row by sessionAttributes.sid (only when deletable), then search again.
    const row = page.entries[0]!;
    expect(row.deletable).toBe(true);
    const sid = row.sessionAttributes.sid;
    const del = await h.app.request(`${API}/jans-auth-server/session/sid/${sid}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}`, accept: "application/json", "User-inum": inum },
    });
    // The TUI reads a falsy response (204, no body) as success.
    expect([del.status, await del.text()]).toEqual([204, ""]);
    const again = (await (
      await get("/jans-auth-server/session/search", token, inum, {
        limit: "20",
        startIndex: "0",
        fieldValuePair: "auth_user=carol",
      })
    ).json()) as Page;
    expect(again.totalEntriesCount).toBe(2);
    expect(again.entries.map((e) => e.sessionAttributes.sid)).not.toContain(sid);
    expect((await get(`/jans-auth-server/session/sid/${sid}`, token, inum)).status).toBe(404);
  });
});
