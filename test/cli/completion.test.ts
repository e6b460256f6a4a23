import { execFileSync } from "node:child_process";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { complete, trimForBash } from "../../src/cli/completion.js";
import { COMMAND_ARGS, COMMANDS } from "../../src/cli/table.js";
import { FORMATS } from "../../src/output/formats.js";
import type { ApiModel } from "../../src/spec/model.js";
import { isolatedEnv, OPCLI_BIN, runOpcli, runOpcliInProcess } from "../helpers/run-opcli.js";

const model = {
  tags: [{ name: "Auth - Session Management", description: "" }],
  schemas: { Session: {}, SessionPagedResult: {} },
  operations: [
    {
      id: "search-session",
      params: [
        { name: "limit", in: "query" },
        { name: "pattern", in: "query" },
      ],
    },
    { id: "get-session-by-id", params: [{ name: "sid", in: "path" }] },
  ],
} as unknown as ApiModel;

describe("complete", () => {
  it.each([
    [["--op"], ["--operation-id"]],
    [["--operation-id", "get"], ["get-session-by-id"]],
    [["--info", "Auth"], ["AuthSessionManagement"]],
    [
      ["--schema", "Session"],
      ["Session", "SessionPagedResult"],
    ],
    [
      ["--output", ""],
      ["json", "ndjson", "yaml", "table", "wide", "csv", "raw"],
    ],
    [["-o", "n"], ["ndjson"]],
    [["--paginate", "c"], ["cursor"]],
    [
      ["--operation-id", "search-session", "--endpoint-args", ""],
      ["limit:", "pattern:"],
    ],
    [["--operation-id", "search-session", "--endpoint-args", "limit:5,p"], ["limit:5,pattern:"]],
    [["--operation-id", "search-session", "--endpoint-args", "limit:a\\,b,"], ["limit:a\\,b,pattern:"]],
    [["--operation-id", "get-session-by-id", "--url-suffix", ""], ["sid:"]],
    [[""], ["auth", "config", "tui", "completion"]],
    [["auth", "s"], ["status"]],
    [
      ["completion", ""],
      ["bash", "zsh", "fish"],
    ],
  ])("%j -> %j", (words, expected) => {
    expect(complete(model, words)).toEqual(expected);
  });

  it("completes every output format and every command and subcommand of the table", () => {
    for (const f of FORMATS) expect(complete(model, ["--output", f.slice(0, 2)])).toContain(f);
    for (const c of COMMANDS) {
      const [group, sub] = c.name.split(" ");
      expect(complete(model, [group!.slice(0, 2)])).toContain(group);
      if (sub) expect(complete(model, [group!, sub.slice(0, 1)])).toContain(sub);
    }
    for (const [group, values] of Object.entries(COMMAND_ARGS))
      for (const v of values) expect(complete(model, [group, v.slice(0, 1)])).toContain(v);
  });

  it("trims candidates to what bash replaces after a word break", () => {
    expect(trimForBash(["limit:5,pattern:"], "limit:5,p", "\"'><=;|&(:")).toEqual(["5,pattern:"]);
  });
});

describe("completion scripts", () => {
  it("bash: the script parses and its function completes operation ids and parameters", async () => {
    const script = (await runOpcli(["completion", "bash"])).stdout;
    const env = { ...isolatedEnv(), PATH: `${dirname(OPCLI_BIN)}:${process.env.PATH}` };
    const run = (line: string) =>
      execFileSync(
        "bash",
        [
          "-c",
          `${script}\nCOMP_LINE="$1"; COMP_POINT=\${#1}; _opcli_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
          "_",
          line,
        ],
        {
          env,
          encoding: "utf8",
        },
      );
    expect(run("opcli --operation-id get-session-b")).toBe("get-session-by-id\n");
    expect(run("opcli --operation-id search-session --endpoint-args limit:5,sortO")).toBe("5,sortOrder:\n");
  });

  it.each(["zsh", "fish"])("%s: the script is printed and names the __complete helper", async (shell) => {
    const r = await runOpcliInProcess(["completion", shell]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`opcli __complete ${shell}`);
  });

  it("an unknown shell is a usage error", async () => {
    expect((await runOpcliInProcess(["completion", "tcsh"])).code).toBe(2);
  });
});
