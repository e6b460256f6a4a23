import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, OPCLI_BIN, runOpcliInProcess } from "../helpers/run-opcli.js";
import { type RunningServer, startServer } from "../helpers/spawn-server.js";
import { openTerminal } from "../helpers/tmux.js";

// Tables and colour as a person sees them, in a real terminal (tmux), against the reference server.

let s: RunningServer;
let env: Record<string, string>;
beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024 });
  env = isolatedEnv({
    OPCLI_HOST: s.url,
    OPCLI_CLIENT_ID: s.admin.client_id,
    OPCLI_CLIENT_SECRET: s.admin.client_secret,
  });
  await runOpcliInProcess(["--operation-id", "post-login", "--data", "{}"], { env });
  const { execFileSync } = await import("node:child_process");
  const { SERVER_BIN } = await import("../helpers/spawn-server.js");
  execFileSync(
    process.execPath,
    [SERVER_BIN, "seed", "--users", "3", "--sessions-per-user", "2", "--db", s.db],
    {
      stdio: "ignore",
      env: { ...process.env, XDG_DATA_HOME: s.dir },
    },
  );
});
afterAll(() => s?.stop());

const sh = (a: string[]) => a.map((x) => `'${x}'`).join(" ");
const opcli = (args: string[], prefix = "") => `${prefix} ${process.execPath} ${OPCLI_BIN} ${sh(args)}`;

async function onScreen(command: string, width: number, extraEnv: Record<string, string> = {}) {
  const t = openTerminal(command, { width, height: 30, env: { ...env, NO_COLOR: "", ...extraEnv } });
  try {
    await t.waitFor("[exit ");
    return { text: t.screen(), colours: t.screen({ colours: true }) };
  } finally {
    t.close();
  }
}

describe("-o table on a terminal", () => {
  it.each([80, 120])(
    "fits %i columns: session columns, relative times, whole sids, no row rules",
    async (width) => {
      const { text } = await onScreen(opcli(["--operation-id", "get-sessions", "-o", "table"]), width);
      const lines = text.split("\n").filter((l) => l.trim() !== "");
      expect(lines[0]).toMatch(/^SID +USER/);
      expect(lines.every((l) => l.length <= width)).toBe(true);
      // Identifiers are never cut: other columns shrink or go first.
      const rows = lines.filter((l) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} /.test(l),
      );
      expect(rows.length).toBe(6);
      if (width >= 120) {
        expect(lines[0]).toMatch(/^SID +USER +CLIENT +IP +STATE +CREATED/);
        expect(rows.every((r) => /(\d+[smh] ago|now)( +in \d+[smh])?$/.test(r))).toBe(true);
      }
      expect(text).not.toMatch(/[─┼├]/);
      expect(text).toContain("opcli: 6 of 6 (from 0)");
      expect(text).toContain("[exit 0]");
    },
  );

  it("-o wide shows full values; a single object is a KEY/VALUE view", async () => {
    const list = await runOpcliInProcess(["--operation-id", "get-sessions"], { env });
    const sid = (JSON.parse(list.stdout) as { entries: { sid: string }[] }).entries[0]!.sid;
    const { text } = await onScreen(
      opcli(["--operation-id", "get-session-by-id", "--url-suffix", `sid:${sid}`, "-o", "table"]),
      100,
    );
    expect(text).toMatch(/^KEY +VALUE/m);
    expect(text).toMatch(/^sessionAttributes\.auth_user +\S+/m);
    const wide = await onScreen(opcli(["--operation-id", "get-sessions", "-o", "wide"]), 200);
    expect(wide.text).toContain(sid);
  });

  it("--columns rejects unknown names, listing valid ones; NAME=path names a column", async () => {
    const bad = await runOpcliInProcess(
      ["--operation-id", "get-sessions", "-o", "table", "--columns", "nosuch"],
      {
        env,
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--columns: get-sessions's items have no "nosuch"; valid: dn, id, sid/);
    const named = await runOpcliInProcess(
      ["--operation-id", "get-sessions", "-o", "table", "--columns", "WHO=sessionAttributes.auth_user,sid"],
      { env },
    );
    expect(named.stdout.split("\n")[0]).toBe("WHO\tsid");
  });
});

describe("colour: one decision for JSON and tables", () => {
  const ESC = "\u001b[";
  it.each([
    [{}, true],
    [{ NO_COLOR: "1" }, false],
    [{ CLICOLOR: "0" }, false],
    [{ TERM: "dumb" }, false],
  ])("%j on a terminal: colour %s, in JSON and in tables", async (extra, coloured) => {
    const prefix = Object.entries(extra)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
    const json = await onScreen(
      opcli(["--operation-id", "get-sessions"], prefix ? `env ${prefix}` : ""),
      120,
    );
    const table = await onScreen(
      opcli(["--operation-id", "get-sessions", "-o", "table"], prefix ? `env ${prefix}` : ""),
      120,
    );
    expect(json.colours.includes(ESC)).toBe(coloured);
    expect(table.colours.includes(ESC)).toBe(coloured);
  });

  it("FORCE_COLOR=1 colours JSON even into a pipe", async () => {
    const forced = await runOpcliInProcess(["--operation-id", "get-sessions"], {
      env: { ...env, NO_COLOR: "", FORCE_COLOR: "1" },
    });
    expect(forced.stdout).toContain("\u001b[");
    const plain = await runOpcliInProcess(["--operation-id", "get-sessions"], {
      env: { ...env, NO_COLOR: "" },
    });
    expect(plain.stdout).not.toContain("\u001b[");
  });
});
