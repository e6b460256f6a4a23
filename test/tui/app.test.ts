import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { render } from "ink-testing-library";
import { createElement as h } from "react";
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/spec/load.js";
import type { OperationModel } from "../../src/spec/model.js";
import { App, type CallOutcome, type TuiApi } from "../../src/tui/app.js";
import { isControl } from "../../src/tui/input.js";
import { getOperation, queryParam } from "../helpers/models.js";
import { ROOT } from "../helpers/spawn-server.js";

// The screen rendered by ink-testing-library (100 columns, 24 rows) over a scripted API: the
// table, the filter, describe, sort, marks and their one confirmation, --readonly, the command
// bar, flashes. The end-to-end tests (tmux) drive the real thing.

const NOW = Date.UTC(2026, 0, 1, 12);
const op = (id: string, params: string[] = []) =>
  getOperation(
    id,
    params.map((n) => queryParam(n)),
  );
// The operations as the documents declare them, with their hints (Janssen's from its shipped
// overlay, whose screens are our document's): the filter language, where a page keeps its parts,
// the screen each serves (read from the documents themselves).
const screensOf = async (file: string) => {
  const path = resolve(ROOT, file);
  const model = await loadModel(readFileSync(path, "utf8"), path, { toolVersion: "test" });
  return (o: OperationModel) => ({ ...o, screen: model.operations.find((d) => d.id === o.id)!.screen });
};
const ours = await screensOf("spec/opcli.yaml");
const admins = await screensOf("spec/admin.yaml");
const search = op("search-session", [
  "limit",
  "startIndex",
  "pattern",
  "fieldValuePair",
  "sortBy",
  "sortOrder",
]);
const JANS = [
  {
    ...ours(search),
    params: search.params.map((p) =>
      p.name === "fieldValuePair" ? { ...p, filter: "field-value-pairs" as const } : p,
    ),
    paging: { total: "totalEntriesCount", items: "entries", count: "entriesCount", start: "start" },
  },
  ours(op("delete-session")),
  ours(op("revoke-user-session")),
];
const ADMIN = [
  admins(op("list-sessions", ["limit", "offset", "userId", "sort", "order"])),
  admins(op("terminate-session")),
  admins(op("terminate-user-sessions")),
  admins(op("list-users", ["limit", "offset"])),
  admins(op("list-alarms", ["limit", "offset"])),
  admins(op("list-audit-events", ["limit", "offset"])),
];

function session(i: number, user: string, minutesAgo = 5) {
  return {
    sid: `0000000${i}-aaaa-4bbb-8ccc-dddddddddddd`,
    userDn: `inum=${user},ou=people,o=jans`,
    state: "authenticated",
    creationDate: new Date(NOW - minutesAgo * 60_000).toISOString(),
    lastUsedAt: new Date(NOW - 60_000).toISOString(),
    expirationDate: new Date(NOW + 55 * 60_000).toISOString(),
    sessionAttributes: {
      auth_user: user,
      remote_ip: "10.0.0.1",
      client_id: "web-app",
      user_agent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    },
  };
}

function scripted(
  answer: (id: string, params: Record<string, string>) => CallOutcome | Promise<CallOutcome>,
  operations = JANS,
) {
  const calls: [string, Record<string, string>][] = [];
  const api: TuiApi = {
    operations,
    host: "test",
    call: async (id, params) => {
      calls.push([id, params]);
      return answer(id, params);
    },
  };
  return { api, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 30));
async function until(frame: () => string | undefined, text: string | RegExp) {
  const has = () => (typeof text === "string" ? (frame() ?? "").includes(text) : text.test(frame() ?? ""));
  // A deadline, not a count of ticks: a loaded machine renders late, never differently.
  for (const end = Date.now() + 10_000; Date.now() < end && !has(); ) await tick();
  return frame() ?? "";
}

const page = (all: ReturnType<typeof session>[], params: Record<string, string>) => {
  const start = Number(params.startIndex ?? 0);
  const limit = Number(params.limit ?? 20);
  const pattern = params.pattern ?? "";
  const hits = all.filter((s) => s.sessionAttributes.auth_user.includes(pattern));
  return {
    ok: true,
    status: 200,
    data: { totalEntriesCount: hits.length, entries: hits.slice(start, start + limit) },
  };
};

/** The screen under test; its live refresh is off unless a test asks (its calls would mix with the keys'). */
function app(api: TuiApi, more: { readonly?: boolean; refreshMs?: number } = {}) {
  return render(h(App, { api, now: () => NOW, colour: false, refreshMs: 3_600_000, ...more }));
}

describe("the Sessions screen", () => {
  it("shows a page as tall as the terminal: relative times, full identifiers when there is room", async () => {
    const all = Array.from({ length: 40 }, (_, i) => session(i, `user${i}`));
    const { api, calls } = scripted((_id, p) => page(all, p));
    const ui = app(api);
    const frame = await until(ui.lastFrame, "user0");
    expect(frame).toMatch(/USER +ADDRESS +CLIENT +STATE +CREATED +LAST USED +EXPIRES/);
    expect(frame).toMatch(/user0 +10\.0\.0\.1 +web-app +authenticated +5m ago +1m ago +in 55m/);
    // 24 rows: 6 lines of chrome, so 18 sessions a page.
    expect(calls[0]![1].limit).toBe("18");
    expect(frame).toContain("1-18 of 40");
    expect(frame.split("\n").length).toBeLessThanOrEqual(23);
    ui.unmount();
  });

  it("a burst of Backspaces (DEL bytes in one read) erases; no control character reaches the search", async () => {
    const all = [session(1, "alice"), session(2, "bob")];
    const { api, calls } = scripted((_id, p) => page(all, p));
    const ui = app(api);
    await until(ui.lastFrame, "alice");
    ui.stdin.write("/");
    await tick();
    ui.stdin.write("bobxyz");
    await tick();
    ui.stdin.write("\x7f\x7f\x7f");
    await tick();
    ui.stdin.write("\x08\x01b");
    expect(await until(ui.lastFrame, "/bob▏")).toContain("/bob▏");
    await until(() => String(calls.at(-1)?.[1].pattern), "bob");
    ui.stdin.write("\r");
    const frame = await until(ui.lastFrame, "Filter: bob");
    expect(frame).not.toContain("alice");
    expect(calls.every(([, p]) => [...Object.values(p).join("")].every((c) => !isControl(c)))).toBe(true);
    ui.unmount();
  });

  it("the filter line's fields become fieldValuePair; Esc clears the filter", async () => {
    const { api, calls } = scripted((_id, p) => page([session(1, "alice")], p));
    const ui = app(api);
    await until(ui.lastFrame, "alice");
    ui.stdin.write("/");
    await tick();
    ui.stdin.write("user=alice ip=10.0.0.1 ali");
    await tick();
    ui.stdin.write("\r");
    await until(() => JSON.stringify(calls.at(-1)), "fieldValuePair");
    expect(calls.at(-1)).toEqual([
      "search-session",
      expect.objectContaining({
        pattern: "ali",
        fieldValuePair: "auth_user=alice,remote_ip=10.0.0.1",
        startIndex: "0",
      }),
    ]);
    ui.stdin.write("/");
    await tick();
    ui.stdin.write("\x1b");
    expect(await until(ui.lastFrame, "Filter: (all sessions)")).toContain("Filter: (all sessions)");
    ui.unmount();
  });

  it("pages with n and p by startIndex, at the page size the height gives", async () => {
    const all = Array.from({ length: 40 }, (_, i) => session(i, `u${i}`));
    const { api, calls } = scripted((_id, p) => page(all, p));
    const ui = app(api);
    await until(ui.lastFrame, "1-18 of 40");
    ui.stdin.write("n");
    await until(ui.lastFrame, "19-36 of 40");
    ui.stdin.write("n");
    await until(ui.lastFrame, "37-40 of 40");
    ui.stdin.write("n");
    expect(await until(ui.lastFrame, "last page")).toContain("last page");
    ui.stdin.write("p");
    await until(ui.lastFrame, "19-36 of 40");
    expect(calls.map(([, p]) => p.startIndex)).toEqual(["0", "18", "36", "18"]);
    ui.unmount();
  });

  it("d describes full-screen: user, address, user agent, client, state and times first; scrolls; v is JSON", async () => {
    const { api } = scripted((_id, p) => page([session(1, "alice")], p));
    const ui = app(api);
    await until(ui.lastFrame, "alice");
    ui.stdin.write("d");
    const frame = await until(ui.lastFrame, "Describe session");
    const labels = ["User", "Address", "User agent", "Client", "State", "Created", "Last used", "Expires"];
    const at = labels.map((l) => frame.search(new RegExp(`^${l} +\\S`, "m")));
    expect(at.every((x) => x >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(frame).toMatch(/User agent +Mozilla\/5\.0/);
    expect(frame).toMatch(/Expires +in 55m +\(2026-01-01T12:55:00Z\)/);
    expect(frame).toMatch(/lines 1-\d+ of \d+/);
    ui.stdin.write("G");
    expect(await until(ui.lastFrame, "sessionAttributes.user_agent")).toContain(
      "sessionAttributes.user_agent",
    );
    ui.stdin.write("v");
    expect(await until(ui.lastFrame, "(JSON)")).toContain('"sid": "00000001');
    ui.stdin.write("\x1b");
    expect(await until(ui.lastFrame, "Filter:")).toContain("alice");
    ui.unmount();
  });

  it("Shift+U sorts by user (again: reversed); the header shows the arrow and the server is asked", async () => {
    const all = [session(1, "carol"), session(2, "alice"), session(3, "bob")];
    const { api, calls } = scripted((_id, p) => page(all, p));
    const ui = app(api);
    await until(ui.lastFrame, "carol");
    ui.stdin.write("U");
    // The arrow may show a frame before the server's sorted page arrives: wait for both.
    let frame = await until(ui.lastFrame, /USER↑[\s\S]*alice[\s\S]*bob[\s\S]*carol/);
    expect(frame).toContain("USER↑");
    expect(frame.indexOf("alice")).toBeLessThan(frame.indexOf("bob"));
    expect(frame.indexOf("bob")).toBeLessThan(frame.indexOf("carol"));
    expect(calls.some(([, p]) => p.sortBy === "auth_user" && p.sortOrder === "ascending")).toBe(true);
    ui.stdin.write("U");
    frame = await until(ui.lastFrame, /USER↓[\s\S]*carol[\s\S]*bob[\s\S]*alice/);
    expect(frame).toContain("USER↓");
    expect(frame.indexOf("carol")).toBeLessThan(frame.indexOf("alice"));
    ui.unmount();
  });

  it("Space marks; Ctrl-d asks once with the count; n sends nothing; y deletes each marked session", async () => {
    const all = [session(1, "alice"), session(2, "bob"), session(3, "carol")];
    const { api, calls } = scripted((id, p) =>
      id === "delete-session" ? { ok: true, status: 204 } : page(all, p),
    );
    const ui = app(api);
    await until(ui.lastFrame, "carol");
    ui.stdin.write(" ");
    await tick();
    ui.stdin.write(" ");
    expect(await until(ui.lastFrame, "2 marked")).toMatch(/^ ?\*.*alice/m);
    ui.stdin.write("\x04");
    expect(await until(ui.lastFrame, "y/n")).toContain("Delete 2 sessions: alice, bob? y/n");
    ui.stdin.write("n");
    await until(ui.lastFrame, "cancelled");
    expect(calls.some(([id]) => id === "delete-session")).toBe(false);
    ui.stdin.write("\x04");
    await until(ui.lastFrame, "y/n");
    ui.stdin.write("y");
    expect(await until(ui.lastFrame, "deleted 2 sessions")).toContain("deleted 2 sessions (alice, bob)");
    expect(calls.filter(([id]) => id === "delete-session").map(([, p]) => p.sid)).toEqual([
      all[0]!.sid,
      all[1]!.sid,
    ]);
    ui.unmount();
  });

  it("Ctrl-d without marks deletes the selected session after naming it and counting one", async () => {
    const all = [session(1, "alice"), session(2, "bob")];
    const { api, calls } = scripted((id, p) =>
      id === "delete-session" ? { ok: true, status: 204 } : page(all, p),
    );
    const ui = app(api);
    await until(ui.lastFrame, "bob");
    ui.stdin.write("j");
    await tick();
    ui.stdin.write("\x04");
    expect(await until(ui.lastFrame, "y/n")).toContain(`Delete 1 session: ${all[1]!.sid} (bob)? y/n`);
    ui.stdin.write("y");
    expect(await until(ui.lastFrame, "deleted 1 session")).toContain("deleted 1 session 00000002 (bob)");
    expect(calls.filter(([id]) => id === "delete-session")).toEqual([
      ["delete-session", { sid: all[1]!.sid }],
    ]);
    ui.unmount();
  });

  it("u counts the user's sessions before asking, then revokes them", async () => {
    const all = [session(1, "alice"), session(2, "alice"), session(3, "bob")];
    const { api, calls } = scripted((id, p) => {
      if (id === "revoke-user-session") return { ok: true, status: 204 };
      if (p.fieldValuePair === "auth_user=alice")
        return { ok: true, status: 200, data: { totalEntriesCount: 2, entries: [all[0]] } };
      return page(all, p);
    });
    const ui = app(api);
    await until(ui.lastFrame, "alice");
    ui.stdin.write("u");
    expect(await until(ui.lastFrame, "y/n")).toContain("Revoke ALL 2 sessions of alice? y/n");
    ui.stdin.write("y");
    expect(await until(ui.lastFrame, "revoked")).toContain("revoked 2 sessions of alice");
    expect(calls.find(([id]) => id === "revoke-user-session")).toEqual([
      "revoke-user-session",
      { userDn: "inum=alice,ou=people,o=jans" },
    ]);
    ui.unmount();
  });

  it("--readonly hides the changing keys and refuses them with a reason", async () => {
    const { api, calls } = scripted((_id, p) => page([session(1, "alice")], p));
    const ui = app(api, { readonly: true });
    const frame = await until(ui.lastFrame, "alice");
    expect(frame).toContain("read-only");
    expect(frame).not.toMatch(/delete|revoke|mark/);
    for (const key of ["\x04", "u", " "]) {
      ui.stdin.write(key);
      expect(await until(ui.lastFrame, "is off")).toMatch(/read-only: .* is off/);
    }
    expect(ui.lastFrame()).not.toContain("y/n");
    expect(calls.every(([id]) => id === "search-session")).toBe(true);
    ui.unmount();
  });

  it.each([
    [{ ok: false, status: 404, error: {} }, "not found: someone may have ended it meanwhile"],
    [{ ok: false, status: 403, error: { message: "insufficient_scope" } }, "HTTP 403: insufficient_scope"],
  ])("a failed delete (%j) is a flash, and the screen stays", async (outcome, message) => {
    const { api } = scripted((id, p) => (id === "delete-session" ? outcome : page([session(1, "alice")], p)));
    const ui = app(api);
    await until(ui.lastFrame, "alice");
    ui.stdin.write("\x04");
    await until(ui.lastFrame, "y/n");
    ui.stdin.write("y");
    const frame = await until(ui.lastFrame, message);
    expect(frame).toContain("deleted 0 of 1 session");
    expect(frame).toContain(message);
    expect(frame).toContain("<q> quit");
    ui.unmount();
  });

  it("a failed load is a flash until a load works; live refresh reloads by itself", async () => {
    let fail = true;
    const { api } = scripted((_id, p) => {
      if (fail) throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { name: "NetworkError" });
      return page([session(1, "alice")], p);
    });
    const ui = app(api, { refreshMs: 100 });
    expect(await until(ui.lastFrame, "network")).toContain("network: connect ECONNREFUSED 127.0.0.1:9");
    fail = false;
    const frame = await until(ui.lastFrame, "alice");
    expect(frame).not.toContain("ECONNREFUSED");
    ui.unmount();
  });

  it("Ctrl-r pauses the live refresh, and says so", async () => {
    const { api, calls } = scripted((_id, p) => page([session(1, "alice")], p));
    const ui = app(api, { refreshMs: 60 });
    await until(ui.lastFrame, "alice");
    ui.stdin.write("\x12");
    expect(await until(ui.lastFrame, "paused")).toContain("live refresh paused");
    const n = calls.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.length).toBeLessThanOrEqual(n + 1);
    ui.unmount();
  });

  it("? lists every key of the table, the sort letters included", async () => {
    const { api } = scripted((_id, p) => page([session(1, "alice")], p));
    const ui = app(api);
    await until(ui.lastFrame, "alice");
    ui.stdin.write("?");
    const frame = await until(ui.lastFrame, "Keys");
    expect(frame).toContain("Ctrl-d");
    // G until the help has taken the keys (the first may reach the table while the help mounts).
    for (const end = Date.now() + 10_000; Date.now() < end && !(ui.lastFrame() ?? "").includes("Shift-U"); ) {
      ui.stdin.write("G");
      await tick();
    }
    expect(ui.lastFrame()).toContain("sort by user");
    ui.unmount();
  });
});

describe("the command bar with the admin document", () => {
  const admin = (id: string) => {
    const items =
      id === "list-users"
        ? [{ id: "u-1", username: "alice", sessions: 2, disabled: false }]
        : id === "list-alarms"
          ? [
              {
                id: 7,
                kind: "ip_spread",
                username: "alice",
                raisedAt: new Date(NOW).toISOString(),
                addresses: ["1.1.1.1", "2.2.2.2"],
              },
            ]
          : id === "list-audit-events"
            ? [
                {
                  id: 9,
                  at: new Date(NOW).toISOString(),
                  type: "login_failed",
                  username: "mallory",
                  actorType: "user",
                },
              ]
            : [
                {
                  id: "sid-1",
                  userId: "u-1",
                  username: "alice",
                  ipAddress: "10.0.0.1",
                  createdAt: NOW,
                  lastActiveAt: NOW,
                  expiresAt: NOW + 3_600_000,
                  idleExpiresAt: NOW + 600_000,
                },
              ];
    return { ok: true, status: 200, data: { total: items.length, limit: 18, offset: 0, items } };
  };

  it(":users, :alarms and :audit switch screens; an unknown name lists the screens", async () => {
    const { api, calls } = scripted((id) => admin(id), ADMIN);
    const ui = app(api);
    expect(await until(ui.lastFrame, "alice")).toMatch(/EXPIRES/);
    expect(ui.lastFrame()).toMatch(/alice +10\.0\.0\.1 .*in 10m/);
    for (const [cmd, seen] of [
      ["users", "SESSIONS"],
      ["al", "1.1.1.1 2.2.2.2"],
      ["audit", "mallory"],
    ] as const) {
      ui.stdin.write(":");
      await tick();
      ui.stdin.write(cmd);
      await tick();
      ui.stdin.write("\r");
      expect(await until(ui.lastFrame, seen)).toContain(seen);
    }
    expect(calls.map(([id]) => id)).toEqual(
      expect.arrayContaining(["list-users", "list-alarms", "list-audit-events"]),
    );
    ui.stdin.write(":");
    await tick();
    ui.stdin.write("pods\r");
    expect(await until(ui.lastFrame, "no screen")).toContain(
      'no screen "pods": this document has :sessions :users :alarms :audit',
    );
    ui.unmount();
  });

  it("with Janssen's document, : offers sessions only", async () => {
    const { api } = scripted((_id, p) => page([session(1, "alice")], p));
    const ui = app(api);
    await until(ui.lastFrame, "alice");
    ui.stdin.write(":");
    await tick();
    ui.stdin.write("users\r");
    expect(await until(ui.lastFrame, "no screen")).toContain("this document has :sessions");
    ui.unmount();
  });
});
