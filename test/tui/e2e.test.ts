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
import { openTerminal } from "../helpers/tmux.js";

// opcli tui in a real terminal (tmux) against the reference server on loopback with real
// sessions: search a user, delete one of their sessions, revoke the rest, quit, and the terminal
// is as it was. Run with our document and with the Janssen document unchanged.

const JANS = resolve(ROOT, "../shared/specs/jans-config-api.yaml");
const PASSWORD = "tui-e2e-password";
let s: RunningServer;

function addUser(name: string) {
  execFileSync(
    process.execPath,
    [SERVER_BIN, "user", "create", "--username", name, "--password-stdin", "--db", s.db],
    {
      input: `${PASSWORD}\n`,
    },
  );
}

async function sessionsOf(user: string): Promise<string[]> {
  const res = await fetch(
    `${s.url}/jans-config-api/api/v1/jans-auth-server/session/search?${new URLSearchParams({ fieldValuePair: `auth_user=${user}` })}`,
    { headers: { authorization: `Bearer ${await adminToken(s)}` } },
  );
  return ((await res.json()) as { entries: { sid: string }[] }).entries.map((e) => e.sid);
}

beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024 });
});
afterAll(() => s?.stop());

describe.each([
  ["our document", [] as string[], ""],
  ["the Janssen document, unchanged", ["--spec", JANS], "/jans-config-api"],
])("opcli tui with %s", (_name, specArgs, base) => {
  it("search a user, delete one session, revoke the rest, quit with the terminal sane", async () => {
    const user = `tui-${specArgs.length ? "jans" : "ours"}`;
    addUser(user);
    addUser(`${user}-other`);
    for (let i = 0; i < 3; i++) await loginOverHttp(s, user, PASSWORD);
    await loginOverHttp(s, `${user}-other`, PASSWORD);
    const before = await sessionsOf(user);
    expect(before).toHaveLength(3);
    const env = isolatedEnv({
      OPCLI_HOST: `${s.url}${base}`,
      OPCLI_CLIENT_ID: s.admin.client_id,
      OPCLI_CLIENT_SECRET: s.admin.client_secret,
    });
    const dir = env.HOME!;
    const cmd = `stty -a > ${dir}/stty-before; ${process.execPath} ${OPCLI_BIN} tui ${specArgs.map((a) => `'${a}'`).join(" ")}; echo "[tui exit $?]"; stty -a > ${dir}/stty-after`;
    const t = openTerminal(cmd, { width: 100, height: 30, env });
    try {
      expect(await t.waitFor("q quit")).toContain("opcli tui · Sessions");
      t.keys("/");
      await t.waitFor("Search (Tab");
      t.keys("Tab");
      await t.waitFor("User                           ▏");
      t.type(user);
      t.keys("Enter");
      const found = await t.waitFor(`user=${user} `);
      const rows = (await t.waitFor("of 3"))
        .split("\n")
        .filter((l) => / tui-/.test(l) && /authenticated/.test(l));
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.includes(` ${user} `))).toBe(true);
      expect(found).not.toContain(`${user}-other`);
      // The selected (first) row's short sid names the session to delete.
      const shortSid = /^>(\w{8}) /m.exec(await t.waitFor(">"))![1]!;
      const target = before.find((sid) => sid.startsWith(shortSid))!;
      t.keys("d");
      expect(await t.waitFor("? y/n")).toContain(`Delete session ${target}`);
      t.keys("y");
      await t.waitFor("deleted session");
      expect(await sessionsOf(user)).toEqual(before.filter((x) => x !== target));
      t.keys("u");
      await t.waitFor("Revoke ALL");
      t.keys("y");
      await t.waitFor("revoked every session");
      expect(await sessionsOf(user)).toEqual([]);
      expect(await sessionsOf(`${user}-other`)).toHaveLength(1);
      t.keys("q");
      expect(await t.waitFor("[tui exit")).toContain("[tui exit 0]");
      await t.waitFor("[exit ");
      expect(readFileSync(join(dir, "stty-after"), "utf8")).toBe(
        readFileSync(join(dir, "stty-before"), "utf8"),
      );
    } finally {
      t.close();
    }
  });
});

describe("opcli tui in 80x24, resized", () => {
  it("fits 80 columns and 24 rows, and widens its table when the terminal grows", async () => {
    for (let i = 0; i < 2; i++) await loginOverHttp(s, "tui-ours-other", PASSWORD).catch(() => undefined);
    const env = isolatedEnv({
      OPCLI_HOST: s.url,
      OPCLI_CLIENT_ID: s.admin.client_id,
      OPCLI_CLIENT_SECRET: s.admin.client_secret,
    });
    const t = openTerminal(`${process.execPath} ${OPCLI_BIN} tui`, { width: 80, height: 24, env });
    try {
      const small = await t.waitFor("q quit");
      const lines = small.trimEnd().split("\n");
      expect(lines.length).toBeLessThanOrEqual(24);
      expect(lines.every((l) => l.length <= 80)).toBe(true);
      expect(small).toMatch(/SID +USER/);
      t.resize(160, 30);
      const wide = await t.waitFor("EXPIRES");
      expect(wide).toMatch(/SID +USER +IP +CLIENT +STATE +CREATED +EXPIRES/);
      t.keys("q");
      expect(await t.waitFor("[exit ")).toContain("[exit 0]");
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
      expect(screen).toContain(
        "opcli tui needs the operations search-session, delete-session, revoke-user-session",
      );
      expect(screen).toContain("[exit 2]");
    } finally {
      t.close();
    }
  });
});
