import { describe, expect, it } from "vitest";
import { ServerConfigError, ServerUsageError } from "../../../src/server/cli/errors.js";
import { EXIT_CODES, SERVER_EXIT, serverExitFor } from "../../../src/server/cli/exit-codes.js";
import { SeedError } from "../../../src/server/cli/seed.js";
import { ClientError } from "../../../src/server/core/clients.js";
import { ConfigError } from "../../../src/server/core/config.js";
import { UserError } from "../../../src/server/core/users.js";
import { StoreUnavailable } from "../../../src/server/store/types.js";

const parseArgsError = Object.assign(new TypeError("Unknown option '--x'"), {
  code: "ERR_PARSE_ARGS_UNKNOWN_OPTION",
});

describe("opcli-server's exit-code table", () => {
  it.each([
    ["a bad command line", new ServerUsageError("unknown command"), 2, true],
    ["node:util's parseArgs refusal", parseArgsError, 2, true],
    ["bad configuration", new ServerConfigError("port in use"), 3, true],
    ["an unreachable store", new StoreUnavailable("down"), 3, true],
    ["a bad config file", new ConfigError("bad key"), 3, true],
    ["a refused user", new UserError("no user"), 3, true],
    ["a refused client", new ClientError("bad uri"), 3, true],
    ["a short seed", new SeedError("made 3 of 4"), 1, true],
    ["anything else", new Error("boom"), 1, false],
  ] as const)("%s exits %i", (_what, err, code, expected) => {
    expect(serverExitFor(err)).toEqual({ code, expected });
  });

  it("documents every code it uses", () => {
    for (const code of Object.values(SERVER_EXIT)) expect(EXIT_CODES).toContain(`${code} `);
  });
});
