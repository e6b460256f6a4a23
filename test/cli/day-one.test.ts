import { describe, expect, it } from "vitest";
import { appTransport, runInProcess, testEnv } from "../helpers/cli-io.js";
import { harness } from "../helpers/server-harness.js";

// What a new administrator types first: bare `opcli`, `opcli help`, and an operation's name as words.

const run = (argv: string[]) => runInProcess(argv, { env: testEnv() });

describe("day one", () => {
  it.each([[[]], [["help"]]])("opcli %j prints the help and exits 0", async (argv) => {
    const r = await run(argv);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/--operation-id/);
    expect(r.stdout).toBe((await run(["--help"])).stdout);
  });

  it("opcli help COMMAND is that command's help", async () => {
    const r = await run(["help", "auth", "login"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await run(["auth", "login", "--help"])).stdout);
  });

  it("an operation's name as words suggests that operation, not a far one", async () => {
    const r = await run(["get", "sessions"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'opcli: unknown command "get" (did you mean --operation-id get-sessions?) (opcli --help)\n',
    );
  });

  it("an operation ID given to --info is named as an operation, with its help and its tag", async () => {
    const r = await run(["--info", "get-sessions"]);
    expect([r.code, r.stderr]).toEqual([
      2,
      'opcli: "get-sessions" is an operation, not a tag: opcli --operation-id get-sessions --help (its tag: AuthSessionManagement)\n',
    ]);
  });

  it("a word far from every command and operation gets no suggestion", async () => {
    const r = await run(["frobnicate"]);
    expect(r.stderr).toBe('opcli: unknown command "frobnicate" (opcli --help)\n');
  });
});

describe("a value that cannot be right is refused before sending, with the recipe", () => {
  it("revoke-user-session with a user name where a DN is wanted", async () => {
    let sent = 0;
    const r = await runInProcess(
      ["--operation-id", "revoke-user-session", "--url-suffix", "userDn:demo-user-003"],
      {
        env: testEnv({ OPCLI_HOST: "http://ref.test", OPCLI_ACCESS_TOKEN: "t" }),
        transport: async () => {
          sent++;
          throw new Error("nothing should be sent");
        },
      },
    );
    expect(r.code).toBe(2);
    expect(sent).toBe(0);
    expect(r.stderr).toMatch(
      /^opcli: userDn must match .* not "demo-user-003" \(a user's DN, like inum=ID,ou=people,o=jans, not a user name; find it with opcli --operation-id search-session --endpoint-args "fieldValuePair:auth_user=NAME" --query "entries\[0\]\.userDn"\); nothing was sent\n$/,
    );
  });
});

describe("a 404 names the likely mistake, from the document's hint", () => {
  it("revoke-user-session with a well-formed DN of nobody: the 404, and how to find the right DN", async () => {
    const h = await harness();
    try {
      const r = await runInProcess(
        ["--operation-id", "revoke-user-session", "--url-suffix", 'userDn:"inum=nobody,ou=people,o=jans"'],
        {
          env: testEnv({ OPCLI_HOST: "http://ref.test", OPCLI_ACCESS_TOKEN: await h.token() }),
          transport: appTransport(h.app),
        },
      );
      expect(r.code).toBe(5);
      expect(r.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(
          /^opcli: .*404.*no live sessions.*\(userDn is a user's DN, .*fieldValuePair:auth_user=NAME/,
        ),
      ]);
    } finally {
      await h.close();
    }
  });
});

describe("a config file's syntax error has a line and column, whatever JSON.parse says", () => {
  it.each([
    ['{"profiles": x}', "line 1, column 14"],
    ['{"profiles": {"a": {"host": "h"}}', "line 1, column 34"],
    ['{\n  "profiles": {},\n  "x": tru\n}', "line 3, column 11"],
    ["", "line 1, column 1"],
  ])("%j: %s", async (text, place) => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "opcli-cfg-")), "config.json");
    writeFileSync(file, text);
    const r = await runInProcess(["--operation-id", "get-sessions"], {
      env: testEnv({ OPCLI_CONFIG: file }),
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`is not valid JSON (syntax error at ${place})`);
  });
});

describe("the embedded default says it has no URL", () => {
  it.each([["--curl"], ["--output-access-token"]])(
    "%s with nothing configured: exit 2 and how to serve it",
    async (flag) => {
      const r = await runInProcess(["--operation-id", "get-sessions", flag], { env: testEnv() });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        /needs a server with a URL, and the embedded default has none: serve one with opcli-server --port 8080/,
      );
      expect(r.stderr).not.toContain("embedded.opcli.invalid");
    },
  );
});

describe("per-operation help shows real examples", () => {
  it.each([
    [
      "search-session",
      '--endpoint-args "fieldValuePair:auth_user=admin\\,expirationDate>2024-10-12 00:00:00"',
    ],
    ["revoke-user-session", '--url-suffix "userDn:inum=1\\,ou=people\\,o=jans"'],
  ])("%s", async (id, example) => {
    const r = await run(["--operation-id", id, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Example:\n  opcli --operation-id ${id} ${example}`);
    expect(r.stdout).not.toMatch(/:"/);
  });
});
