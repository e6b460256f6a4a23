import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appTransport, runInProcess, testEnv } from "../helpers/cli-io.js";
import { addUser, type Harness, harness } from "../helpers/server-harness.js";

// Parsing, dispatch and output of the CLI in process, against the reference server in process.

let h: Harness;
let env: Record<string, string | undefined>;
const HOST = "http://ref.test";
beforeAll(async () => {
  h = await harness();
  await addUser(h, "alice");
  await addUser(h, "bob");
  for (const u of ["alice", "alice", "bob"]) expect((await h.login(u)).status).toBe(200);
  env = testEnv({ OPCLI_HOST: HOST, OPCLI_ACCESS_TOKEN: await h.token() });
});
afterAll(async () => h.close());

const run = (argv: string[], extra: Parameters<typeof runInProcess>[1] = {}) =>
  runInProcess(argv, { env, transport: appTransport(h.app), ...extra });

describe("dispatch and output in process", () => {
  it("runs an operation and prints compact JSON when stdout is not a terminal", async () => {
    const r = await run([
      "--operation-id",
      "search-session",
      "--endpoint-args",
      "fieldValuePair:auth_user=alice",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ totalEntriesCount: 2, entriesCount: 2 });
  });

  it("pretty-prints on a terminal and streams --all as NDJSON", async () => {
    const pretty = await run(["--operation-id", "get-sessions"], { stdoutTTY: true });
    expect(pretty.stdout).toMatch(/^\{\n {2}"start": 0,/);
    const all = await run(["--operation-id", "search-session", "--all", "-o", "ndjson", "--page-size", "1"]);
    expect(all.code).toBe(0);
    expect(
      all.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).sessionAttributes.auth_user)
        .sort(),
    ).toEqual(["alice", "alice", "bob"]);
  });

  it("maps failures to exit codes with one line on stderr", async () => {
    const unknownFlag = await run(["--operation-idd", "x"]);
    expect([unknownFlag.code, unknownFlag.stderr]).toEqual([
      2,
      "opcli: unknown flag --operation-idd (did you mean --operation-id?)\n",
    ]);
    const notFound = await run(["--operation-id", "get-session-by-id", "--url-suffix", "sid:nope"]);
    expect(notFound.code).toBe(5);
    expect(notFound.stderr.trim().split("\n").at(-1)).toBe("opcli: HTTP 404: no live session with that sid");
    const badInt = await run(["--operation-id", "get-sessions", "--timeout", "soon"]);
    expect([badInt.code, badInt.stderr]).toEqual([
      2,
      'opcli: --timeout must be an integer of at least 1, not "soon"\n',
    ]);
    const badFormat = await run(["--operation-id", "get-sessions", "-o", "xml"]);
    expect(badFormat.stderr).toBe(
      'opcli: --output must be one of json, ndjson, yaml, table, wide, csv, raw, not "xml"\n',
    );
    const typo = await run(["atuh", "login"]);
    expect([typo.code, typo.stderr]).toEqual([
      2,
      'opcli: unknown command "atuh" (did you mean auth?) (opcli --help)\n',
    ]);
  });
});

describe("help pages from the command table", () => {
  it("an operation's help: summary, method and path, parameters with types, enums, defaults, an example", async () => {
    const r = await run(["--operation-id", "search-session", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("search-session: Search sessions.");
    expect(r.stdout).toContain("GET /api/v1/jans-auth-server/session/search");
    expect(r.stdout).toMatch(/limit \[integer\] \(query, default 50, min 1\)/);
    expect(r.stdout).toMatch(/sortOrder \[string: ascending\|descending\] \(query, default "ascending"\)/);
    expect(r.stdout).toMatch(
      /Example:\n {2}opcli --operation-id search-session --endpoint-args "fieldValuePair:/,
    );
    const del = await run(["--operation-id", "delete-session", "--help"]);
    expect(del.stdout).toContain('opcli --operation-id delete-session --url-suffix "sid:SID"');
  });

  it.each([
    [
      ["auth", "--help"],
      ["login", "logout", "status", "token", "--client-id", "--timeout SECONDS", "default: 60"],
    ],
    [
      ["config", "--help"],
      ["path", "list", "get", "set", "--profile NAME"],
    ],
    [
      ["config", "set", "--help"],
      ["opcli config set KEY VALUE", "Examples:"],
    ],
    [
      ["completion", "--help"],
      ["bash|zsh|fish", 'eval "$(opcli completion bash)"'],
    ],
  ])("%j lists its subcommands and flags with defaults", async (argv, parts) => {
    const r = await run(argv);
    expect(r.code).toBe(0);
    for (const p of parts) expect(r.stdout).toContain(p);
  });

  it("the global help lists every command and the defaults and environment of flags", async () => {
    const r = await run(["--help"]);
    for (const p of [
      "auth login",
      "config set",
      "completion",
      "default: json",
      "env OPCLI_HOST",
      "Exit codes:",
    ])
      expect(r.stdout).toContain(p);
  });
});
