import { describe, expect, it } from "vitest";
import { runInProcess, testEnv } from "../helpers/cli-io.js";

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

  it("a word far from every command and operation gets no suggestion", async () => {
    const r = await run(["frobnicate"]);
    expect(r.stderr).toBe('opcli: unknown command "frobnicate" (opcli --help)\n');
  });
});
