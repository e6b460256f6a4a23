import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, OPCLI_BIN, runOpcli } from "../helpers/run-opcli.js";
import {
  adminToken,
  loginOverHttp,
  ROOT,
  type RunningServer,
  SERVER_BIN,
  startServer,
} from "../helpers/spawn-server.js";
import { openTerminal, type Terminal } from "../helpers/tmux.js";

// opcli tui in a real terminal (tmux) against the reference server on loopback with real
// sessions: filter, describe, sort, marks and bulk delete, revoke, read-only, the command bar,
// the page size at three heights, flashes that clear, and the terminal as it was after `q`.
// Run with our document, the Janssen document unchanged, and the admin document.

const JANS = resolve(ROOT, "../shared/specs/jans-config-api.yaml");
const ADMIN = resolve(ROOT, "spec/admin.yaml");
const PASSWORD = "tui-e2e-password";
let s: RunningServer;

function addUser(name: string) {
  execFileSync(
    process.execPath,
    [SERVER_BIN, "user", "create", "--username", name, "--password-stdin", "--db", s.db],
    { input: `${PASSWORD}\n` },
  );
}

async function sessionsOf(user: string): Promise<string[]> {
  const res = await fetch(
    `${s.url}/jans-config-api/api/v1/jans-auth-server/session/search?${new URLSearchParams({ fieldValuePair: `auth_user=${user}` })}`,
    { headers: { authorization: `Bearer ${await adminToken(s)}` } },
  );
  return ((await res.json()) as { entries: { sid: string }[] }).entries.map((e) => e.sid);
}

async function userWithSessions(user: string, n: number): Promise<string[]> {
  addUser(user);
  for (let i = 0; i < n; i++) {
    const res = await loginOverHttp(s, user, PASSWORD);
    if (res.status !== 200) throw new Error(`sign-in of ${user}: HTTP ${res.status}`);
  }
  return sessionsOf(user);
}

function tui(args: string[], size: { width: number; height: number }, base = ""): Terminal {
  const env = isolatedEnv({
    OPCLI_HOST: `${s.url}${base}`,
    OPCLI_CLIENT_ID: s.admin.client_id,
    OPCLI_CLIENT_SECRET: s.admin.client_secret,
  });
  return openTerminal(`${process.execPath} ${OPCLI_BIN} tui ${args.map((a) => `'${a}'`).join(" ")}`, {
    ...size,
    env,
  });
}

/** The selected row (the one marked ">"). */
const selectedRow = (screen: string) => /^>.*$/m.exec(screen)?.[0] ?? "";

beforeAll(async () => {
  // Every sign-in comes from 127.0.0.1: the per-address limit would refuse this file's many logins.
  s = await startServer({ passwordHashCost: 1024, loginAttemptsPerAddressPerMinute: 0 });
});
afterAll(() => s?.stop());

describe.each([
  ["our document", [] as string[], ""],
  ["the Janssen document, unchanged", ["--spec", JANS], "/jans-config-api"],
])("opcli tui with %s", (_name, specArgs, base) => {
  it("filter a user, delete one session, revoke the rest, quit: the terminal as it was", async () => {
    const user = `tui-${specArgs.length ? "jans" : "ours"}`;
    const before = await userWithSessions(user, 3);
    await userWithSessions(`${user}-other`, 1);
    expect(before).toHaveLength(3);
    const env = isolatedEnv({
      OPCLI_HOST: `${s.url}${base}`,
      OPCLI_CLIENT_ID: s.admin.client_id,
      OPCLI_CLIENT_SECRET: s.admin.client_secret,
    });
    const dir = env.HOME!;
    const cmd = `echo BEFORE-THE-TUI; stty -a > ${dir}/stty-before; ${process.execPath} ${OPCLI_BIN} tui ${specArgs.map((a) => `'${a}'`).join(" ")}; echo "[tui exit $?]"; stty -a > ${dir}/stty-after`;
    const t = openTerminal(cmd, { width: 200, height: 30, env });
    try {
      expect(await t.waitFor("<q> quit")).toContain("opcli tui · Sessions");
      // The alternate screen: the shell's line is not on the TUI's screen.
      expect(t.screen()).not.toContain("BEFORE-THE-TUI");
      t.keys("/");
      await t.waitFor("/▏");
      t.type(`user=${user}`);
      t.keys("Enter");
      const found = await t.waitUntil((s) => s.includes("1-3 of 3") && !s.includes("▏"));
      const rows = found.split("\n").filter((l) => l.includes(` ${user} `));
      expect(rows).toHaveLength(3);
      expect(found).not.toContain(`${user}-other`);
      // At 200 columns the SID column shows whole sids.
      const target = before.find((sid) => selectedRow(found).includes(sid))!;
      expect(target).toBeDefined();
      t.keys("C-d");
      expect(await t.waitFor("? y/n")).toContain(`Delete 1 session: ${target} (${user})? y/n`);
      t.keys("y");
      await t.waitFor("deleted 1 session");
      expect(await sessionsOf(user)).toEqual(before.filter((x) => x !== target));
      t.keys("u");
      expect(await t.waitFor("Revoke ALL")).toContain(`Revoke ALL 2 sessions of ${user}? y/n`);
      t.keys("y");
      expect(await t.waitFor("revoked")).toContain(`revoked 2 sessions of ${user}`);
      expect(await sessionsOf(user)).toEqual([]);
      expect(await sessionsOf(`${user}-other`)).toHaveLength(1);
      t.keys("q");
      const after = await t.waitFor("[tui exit");
      expect(after).toContain("[tui exit 0]");
      expect(after).toContain("BEFORE-THE-TUI");
      expect(after).not.toContain("opcli tui ·");
      await t.waitFor("[exit ");
      expect(readFileSync(join(dir, "stty-after"), "utf8")).toBe(
        readFileSync(join(dir, "stty-before"), "utf8"),
      );
    } finally {
      t.close();
    }
  });
});

describe("opcli tui, k9s habits", () => {
  it("a burst of Backspaces erases (no DEL reaches the search), and the filter applies as typed", async () => {
    await userWithSessions("tui-burst", 1);
    const t = tui([], { width: 120, height: 24 });
    try {
      // The first page is in (keys before it would act on no row).
      await t.waitFor(" of ");
      t.keys("/");
      await t.waitFor("/▏");
      t.type("tui-burstzzzz");
      // Four DEL bytes in one write, as a held key over ssh sends them.
      t.type("\x7f\x7f\x7f\x7f");
      const screen = await t.waitFor("/tui-burst▏");
      expect(screen).toContain("/tui-burst▏");
      const filtered = await t.waitFor("1-1 of 1");
      expect(filtered).toMatch(/tui-burst +127\.0\.0\.1/);
      expect(filtered).not.toMatch(/control character|\\x7f/);
    } finally {
      t.close();
    }
  });

  it("describe at 80x24 shows who, where, agent, client, state and times, and scrolls to every field", async () => {
    await userWithSessions("tui-describe", 1);
    const t = tui([], { width: 80, height: 24 });
    try {
      // The first page is in (keys before it would act on no row).
      await t.waitFor(" of ");
      t.keys("/");
      await t.waitFor("/▏");
      t.type("user=tui-describe");
      // Enter only once the whole filter is in the bar (a loaded machine may lag behind the keys).
      await t.waitFor("/user=tui-describe▏");
      t.keys("Enter");
      await t.waitUntil((s) => s.includes("1-1 of 1") && !s.includes("▏"));
      t.keys("d");
      const top = await t.waitFor("Describe session");
      for (const label of [
        "User",
        "Address",
        "User agent",
        "Client",
        "State",
        "Created",
        "Last used",
        "Expires",
      ])
        expect(top).toMatch(new RegExp(`^${label} +\\S`, "m"));
      expect(top).toMatch(/^User +tui-describe/m);
      expect(top.trimEnd().split("\n").length).toBeLessThanOrEqual(24);
      const total = Number(/lines 1-\d+ of (\d+)/.exec(top)![1]);
      expect(total).toBeGreaterThan(19);
      t.keys("G");
      const bottom = await t.waitFor(`-${total} of ${total}`);
      expect(bottom).toMatch(new RegExp(`lines \\d+-${total} of ${total}`));
      expect(bottom).not.toMatch(/^User +tui-describe/m);
      t.keys("v");
      expect(await t.waitFor("(JSON)")).toContain("{");
      t.keys("Escape");
      expect(await t.waitFor("Filter:")).toContain("tui-describe");
    } finally {
      t.close();
    }
  });

  it("the page size follows the height (24, 40, 50 rows); a resize keeps the selection", async () => {
    // The server keeps at most 10 sessions a user: five users, ten each.
    for (let i = 0; i < 5; i++) await userWithSessions(`tui-many-${i}`, 10);
    const t = tui([], { width: 200, height: 24 });
    try {
      expect(await t.waitFor("1-18 of")).toMatch(/1-18 of \d+/);
      for (let i = 0; i < 5; i++) t.keys("j");
      await new Promise((r) => setTimeout(r, 300));
      const chosen = /[0-9a-f]{8}-[0-9a-f-]{27}/.exec(selectedRow(t.screen()))![0];
      t.resize(200, 40);
      const tall = await t.waitFor("1-34 of");
      expect(tall).toMatch(/1-34 of \d+/);
      expect(tall.split("\n").filter((l) => /authenticated/.test(l)).length).toBe(34);
      expect(selectedRow(tall)).toContain(chosen);
      t.resize(200, 50);
      expect(await t.waitFor("1-44 of")).toMatch(/1-44 of \d+/);
      expect(selectedRow(t.screen())).toContain(chosen);
    } finally {
      t.close();
    }
  });

  it("Shift+U sorts by user, Shift+U again reverses", async () => {
    await userWithSessions("tui-sort-a", 1);
    await userWithSessions("tui-sort-b", 1);
    const t = tui([], { width: 160, height: 30 });
    try {
      // The first page is in (keys before it would act on no row).
      await t.waitFor(" of ");
      t.keys("/");
      await t.waitFor("/▏");
      t.type("tui-sort");
      // Enter only once the whole filter is in the bar (a loaded machine may lag behind the keys).
      await t.waitFor("/tui-sort▏");
      t.keys("Enter");
      await t.waitUntil((s) => s.includes("1-2 of 2") && !s.includes("▏"));
      // The header marks the sort at once; the rows follow when the sorted page is in.
      const order = (s: string, first: string, second: string) =>
        s.indexOf(first) >= 0 && s.indexOf(first) < s.indexOf(second);
      t.keys("U");
      const up = await t.waitUntil((s) => s.includes("USER↑") && order(s, "tui-sort-a", "tui-sort-b"));
      expect(up).toMatch(/USER↑[\s\S]*tui-sort-a[\s\S]*tui-sort-b/);
      t.keys("U");
      const down = await t.waitUntil((s) => s.includes("USER↓") && order(s, "tui-sort-b", "tui-sort-a"));
      expect(down).toMatch(/USER↓[\s\S]*tui-sort-b[\s\S]*tui-sort-a/);
    } finally {
      t.close();
    }
  });

  it("Space marks two sessions; Ctrl-d asks once with the count; the API shows both gone", async () => {
    const before = await userWithSessions("tui-marks", 3);
    const t = tui([], { width: 200, height: 30 });
    try {
      // The first page is in (keys before it would act on no row).
      await t.waitFor(" of ");
      t.keys("/");
      await t.waitFor("/▏");
      t.type("user=tui-marks");
      // Enter only once the whole filter is in the bar (a loaded machine may lag behind the keys).
      await t.waitFor("/user=tui-marks▏");
      t.keys("Enter");
      const list = await t.waitUntil((s) => s.includes("1-3 of 3") && !s.includes("▏"));
      const marked = list
        .split("\n")
        .flatMap((l) => before.filter((sid) => l.includes(sid)))
        .slice(0, 2);
      t.keys("Space");
      t.keys("Space");
      await t.waitFor("2 marked");
      t.keys("C-d");
      expect(await t.waitFor("y/n")).toContain("Delete 2 sessions: tui-marks? y/n");
      t.keys("y");
      expect(await t.waitFor("deleted 2 sessions")).toContain("deleted 2 sessions (tui-marks)");
      expect((await sessionsOf("tui-marks")).sort()).toEqual(
        before.filter((x) => !marked.includes(x)).sort(),
      );
    } finally {
      t.close();
    }
  });

  it("--readonly hides the changing keys and refuses them; nothing changes", async () => {
    const before = await userWithSessions("tui-readonly", 1);
    const t = tui(["--readonly"], { width: 120, height: 24 });
    try {
      const screen = await t.waitFor("<q> quit");
      expect(screen).toContain("read-only");
      expect(screen).not.toMatch(/<Ctrl-d>|<Space>|<u>/);
      t.keys("C-d");
      expect(await t.waitFor("is off")).toContain("read-only: Ctrl-d (delete) is off");
      t.keys("u");
      await new Promise((r) => setTimeout(r, 300));
      expect(t.screen()).not.toContain("y/n");
      expect(await sessionsOf("tui-readonly")).toEqual(before);
    } finally {
      t.close();
    }
  });

  it("a flash clears by itself", async () => {
    const t = tui([], { width: 120, height: 24 });
    try {
      // The first page is in (keys before it would act on no row).
      await t.waitFor(" of ");
      t.keys("C-d");
      await t.waitFor("y/n");
      t.keys("n");
      expect(await t.waitFor("cancelled")).toContain("cancelled");
      const deadline = Date.now() + 8000;
      while (t.screen().includes("cancelled") && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect(t.screen()).not.toContain("cancelled");
    } finally {
      t.close();
    }
  });

  it("with the admin document, : switches to users, alarms and audit", async () => {
    await userWithSessions("tui-admin", 1);
    const t = tui(["--spec", ADMIN], { width: 160, height: 30 }, "/api/admin");
    try {
      expect(await t.waitFor("<q> quit")).toMatch(/USER +ADDRESS +CREATED/);
      for (const [cmd, seen] of [
        ["users", "SESSIONS"],
        ["alarms", "RAISED"],
        ["audit", "TYPE"],
        ["sessions", "LAST USED"],
      ] as const) {
        t.keys(":");
        await t.waitFor(":▏");
        t.type(cmd);
        await t.waitFor(`:${cmd}▏`);
        t.keys("Enter");
        // The new screen's title first (the old screen may show the same words), then its columns.
        await t.waitFor(`opcli tui · ${cmd[0]!.toUpperCase()}${cmd.slice(1)}`);
        expect(await t.waitFor(seen)).toContain(seen);
      }
      t.keys(":");
      await t.waitFor(":▏");
      t.type("users");
      await t.waitFor(":users▏");
      t.keys("Enter");
      await t.waitFor("opcli tui · Users");
      expect(await t.waitUntil((s) => /tui-admin +1 /.test(s))).toMatch(/tui-admin +1 /);
    } finally {
      t.close();
    }
  });
});

describe("opcli tui refuses what it cannot do", () => {
  it("without a terminal: exit 2 with one line", async () => {
    const r = await runOpcli(["tui"], { env: isolatedEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "opcli: opcli tui needs a terminal on stdin and stdout (for scripts: opcli --operation-id ...)\n",
    );
  });

  it("a document without the session operations: one clear message, terminal sane", async () => {
    const petstore = resolve(ROOT, "../shared/specs/corpus/oai-petstore.yaml");
    const env = isolatedEnv({ OPCLI_ACCESS_TOKEN: "t" });
    const t = openTerminal(
      `${process.execPath} ${OPCLI_BIN} tui --spec ${petstore} --host http://127.0.0.1:9`,
      { env, width: 220 },
    );
    try {
      const screen = await t.waitFor("[exit ");
      expect(screen).toContain("opcli tui needs a screen: an operation marked x-opcli-screen with role list");
      expect(screen).toContain("[exit 2]");
    } finally {
      t.close();
    }
  });
});
