import { render } from "ink-testing-library";
import { createElement as h } from "react";
import { describe, expect, it } from "vitest";
import { App, type CallOutcome, type TuiApi } from "../../src/tui/app.js";
import { getOperation, queryParam } from "../helpers/models.js";

// The Sessions screen rendered by ink-testing-library over a scripted API: the form, the table,
// paging, the confirmation, and error states. The end-to-end test (tmux) drives the real thing.

const NOW = Date.UTC(2026, 0, 1, 12);
const op = (id: string, params: string[] = []) =>
  getOperation(
    id,
    params.map((n) => queryParam(n)),
  );
const OPS = [
  op("search-session", ["limit", "startIndex", "pattern", "fieldValuePair"]),
  op("delete-session"),
  op("revoke-user-session"),
];

function session(i: number, user: string) {
  return {
    sid: `0000000${i}-aaaa-4bbb-8ccc-dddddddddddd`,
    userDn: `inum=${user},ou=people,o=jans`,
    state: "authenticated",
    creationDate: new Date(NOW - 5 * 60_000).toISOString(),
    expirationDate: new Date(NOW + 55 * 60_000).toISOString(),
    sessionAttributes: { auth_user: user, remote_ip: "10.0.0.1" },
  };
}

function scripted(
  answer: (id: string, params: Record<string, string>) => CallOutcome | Promise<CallOutcome>,
) {
  const calls: [string, Record<string, string>][] = [];
  const api: TuiApi = {
    operations: OPS,
    host: "test",
    call: async (id, params) => {
      calls.push([id, params]);
      return answer(id, params);
    },
  };
  return { api, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 30));
async function until(frame: () => string | undefined, text: string) {
  for (let i = 0; i < 100 && !(frame() ?? "").includes(text); i++) await tick();
  return frame() ?? "";
}

const page = (all: ReturnType<typeof session>[], params: Record<string, string>) => {
  const start = Number(params.startIndex ?? 0);
  const limit = Number(params.limit ?? 20);
  return {
    ok: true,
    status: 200,
    data: { totalEntriesCount: all.length, entries: all.slice(start, start + limit) },
  };
};

describe("the Sessions screen", () => {
  it("shows the first page as a table with relative times and short sids", async () => {
    const all = [session(1, "alice"), session(2, "bob")];
    const { api } = scripted((_id, p) => page(all, p));
    const ui = render(h(App, { api, now: () => NOW, colour: false }));
    const frame = await until(ui.lastFrame, "alice");
    expect(frame).toMatch(/SID +USER +IP/);
    expect(frame).toMatch(/00000001 +alice +10\.0\.0\.1 .*5m ago +in 55m/);
    expect(frame).toContain("1-2 of 2");
    ui.unmount();
  });

  it("the form builds search-session's fieldValuePair and pattern; Enter searches from the first page", async () => {
    const { api, calls } = scripted((_id, p) => page([session(1, "alice")], p));
    const ui = render(h(App, { api, now: () => NOW, colour: false }));
    await until(ui.lastFrame, "alice");
    ui.stdin.write("/");
    await tick();
    ui.stdin.write("ali");
    await tick();
    ui.stdin.write("\t");
    await tick();
    ui.stdin.write("alice");
    await tick();
    expect(await until(ui.lastFrame, "Search (Tab")).toMatch(/User +alice/);
    ui.stdin.write("\r");
    await until(() => String(calls.length), "2");
    expect(calls.at(-1)).toEqual([
      "search-session",
      { pattern: "ali", fieldValuePair: "auth_user=alice", limit: "20", startIndex: "0" },
    ]);
    ui.unmount();
  });

  it("pages with n and p by startIndex", async () => {
    const all = Array.from({ length: 45 }, (_, i) => session(i, `u${i}`));
    const { api, calls } = scripted((_id, p) => page(all, p));
    const ui = render(h(App, { api, now: () => NOW, colour: false }));
    await until(ui.lastFrame, "1-20 of 45");
    ui.stdin.write("n");
    expect(await until(ui.lastFrame, "21-40 of 45")).toContain("21-40 of 45");
    ui.stdin.write("n");
    expect(await until(ui.lastFrame, "41-45 of 45")).toContain("41-45");
    ui.stdin.write("n");
    expect(await until(ui.lastFrame, "last page")).toContain("last page");
    ui.stdin.write("p");
    await until(ui.lastFrame, "21-40 of 45");
    expect(calls.map(([, p]) => p.startIndex)).toEqual(["0", "20", "40", "20"]);
    ui.unmount();
  });

  it("Delete asks, naming the session; n cancels and sends nothing; y deletes that sid", async () => {
    const all = [session(1, "alice"), session(2, "bob")];
    const { api, calls } = scripted((id, p) =>
      id === "delete-session" ? { ok: true, status: 204 } : page(all, p),
    );
    const ui = render(h(App, { api, now: () => NOW, colour: false }));
    await until(ui.lastFrame, "bob");
    ui.stdin.write("j");
    await tick();
    ui.stdin.write("d");
    expect(await until(ui.lastFrame, "? y/n")).toContain(`Delete session ${all[1]!.sid} (bob)? y/n`);
    ui.stdin.write("n");
    expect(await until(ui.lastFrame, "cancelled")).toContain("cancelled");
    expect(calls.some(([id]) => id === "delete-session")).toBe(false);
    ui.stdin.write("d");
    await until(ui.lastFrame, "? y/n");
    ui.stdin.write("y");
    expect(await until(ui.lastFrame, "deleted session")).toContain("deleted session 00000002 (bob)");
    expect(calls.filter(([id]) => id === "delete-session")).toEqual([
      ["delete-session", { sid: all[1]!.sid }],
    ]);
    ui.unmount();
  });

  it("u revokes the selected row's user after asking", async () => {
    const { api, calls } = scripted((id, p) =>
      id === "revoke-user-session" ? { ok: true, status: 204 } : page([session(1, "alice")], p),
    );
    const ui = render(h(App, { api, now: () => NOW, colour: false }));
    await until(ui.lastFrame, "alice");
    ui.stdin.write("u");
    expect(await until(ui.lastFrame, "y/n")).toContain("Revoke ALL sessions of alice? y/n");
    ui.stdin.write("y");
    await until(ui.lastFrame, "revoked");
    expect(calls.find(([id]) => id === "revoke-user-session")).toEqual([
      "revoke-user-session",
      { userDn: "inum=alice,ou=people,o=jans" },
    ]);
    ui.unmount();
  });

  it.each([
    [{ ok: false, status: 404, error: {} }, "not found: someone may have ended it meanwhile"],
    [{ ok: false, status: 403, error: { message: "insufficient_scope" } }, "HTTP 403: insufficient_scope"],
  ])("a failed delete (%j) is a status line, and the screen stays", async (outcome, message) => {
    const { api } = scripted((id, p) => (id === "delete-session" ? outcome : page([session(1, "alice")], p)));
    const ui = render(h(App, { api, now: () => NOW, colour: false }));
    await until(ui.lastFrame, "alice");
    ui.stdin.write("d");
    await until(ui.lastFrame, "y/n");
    ui.stdin.write("y");
    const frame = await until(ui.lastFrame, message);
    expect(frame).toContain(message);
    expect(frame).toContain("q quit");
    ui.unmount();
  });

  it("a network failure while searching is a status line, not a crash", async () => {
    const { api } = scripted(() => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9: nothing listens there"), {
        name: "NetworkError",
      });
    });
    const ui = render(h(App, { api, now: () => NOW, colour: false }));
    expect(await until(ui.lastFrame, "network")).toContain("network: connect ECONNREFUSED 127.0.0.1:9");
    ui.unmount();
  });

  it("Enter shows the selected session's fields; ? shows the keys", async () => {
    const { api } = scripted((_id, p) => page([session(1, "alice")], p));
    const ui = render(h(App, { api, now: () => NOW, colour: false }));
    await until(ui.lastFrame, "alice");
    ui.stdin.write("\r");
    expect(await until(ui.lastFrame, "sessionAttributes.remote_ip")).toMatch(
      /sessionAttributes\.remote_ip +10\.0\.0\.1/,
    );
    ui.stdin.write("\r");
    await tick();
    ui.stdin.write("?");
    expect(await until(ui.lastFrame, "this help")).toContain("revoke every session");
    ui.unmount();
  });
});
