import { describe, expect, it } from "vitest";
import { ServerConfigError, ServerUsageError, valueOrRefusal } from "../../../src/server/cli/errors.js";
import { EXIT_CODES, SERVER_EXIT, serverExitFor } from "../../../src/server/cli/exit-codes.js";
import { SeedError } from "../../../src/server/cli/seed.js";
import { ConfigError } from "../../../src/server/core/config.js";
import { fail } from "../../../src/server/core/errors.js";
import { StoreUnavailable } from "../../../src/server/store/types.js";

const parseArgsError = Object.assign(new TypeError("Unknown option '--x'"), {
  code: "ERR_PARSE_ARGS_UNKNOWN_OPTION",
});

/** What a command throws when the core refuses what it asked (a Result's error). */
function refusal(message: string): unknown {
  try {
    valueOrRefusal(fail("invalid", message));
  } catch (err) {
    return err;
  }
  throw new Error("valueOrRefusal let a refusal through");
}

describe("opcli-server's exit-code table", () => {
  it.each([
    ["a bad command line", new ServerUsageError("unknown command"), 2, true],
    ["node:util's parseArgs refusal", parseArgsError, 2, true],
    ["bad configuration", new ServerConfigError("port in use"), 3, true],
    ["an unreachable store", new StoreUnavailable("down"), 3, true],
    ["a bad config file", new ConfigError("bad key"), 3, true],
    ["a refused user", refusal('user "x" already exists'), 3, true],
    ["a refused client", refusal('redirect URI "x" is not an absolute URL'), 3, true],
    ["a short seed", new SeedError("made 3 of 4"), 1, true],
    ["anything else", new Error("boom"), 1, false],
  ] as const)("%s exits %i", (_what, err, code, expected) => {
    expect(serverExitFor(err)).toEqual({ code, expected });
  });

  it("documents every code it uses", () => {
    for (const code of Object.values(SERVER_EXIT)) expect(EXIT_CODES).toContain(`${code} `);
  });
});
