import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCOPE } from "../../src/server/core/oauth/scopes.js";
import { SERVER_BIN } from "../helpers/spawn-server.js";

// opcli-server's help tells the truth about what a command does by default (issue 21).

const server = (args: string[]) => execFileSync(process.execPath, [SERVER_BIN, ...args]).toString();

describe("opcli-server client create --help", () => {
  it("names the default scope a client really gets without --scopes", () => {
    const help = server(["client", "create", "--help"]);
    expect(help).not.toMatch(/every admin scope/);
    expect(help).toContain("session.readonly");
    const db = join(mkdtempSync(join(tmpdir(), "opcli-help-")), "s.db");
    const made = JSON.parse(server(["client", "create", "--name", "ci", "--db", db])) as { scopes: string[] };
    expect(made.scopes).toEqual([SCOPE.sessionRead]);
  });
});
