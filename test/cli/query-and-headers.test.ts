import { describe, expect, it } from "vitest";
import { legacyLiterals } from "../../src/cli/output.js";
import { parseColumn } from "../../src/output/columns.js";
import { headerWords } from "../../src/output/table.js";
import { appTransport, runInProcess, testEnv } from "../helpers/cli-io.js";
import { addUser, harness } from "../helpers/server-harness.js";

// Day-one habits: JMESPath's legacy backtick literals, and table headers a person can read.

describe("legacyLiterals", () => {
  it.each([
    ["state==`authenticated`", 'state==`"authenticated"`'],
    ['state==`"authenticated"`', 'state==`"authenticated"`'],
    ["n > `5`", "n > `5`"],
    ["a == `true`", "a == `true`"],
    ["[?x==`a b`]", '[?x==`"a b"`]'],
    ['x == `{"k": 1}`', 'x == `{"k": 1}`'],
    ["no literals here", "no literals here"],
  ])("%s", (input, expected) => {
    expect(legacyLiterals(input)).toBe(expected);
  });
});

describe("headerWords", () => {
  it.each([
    ["raisedAt", "raised At"],
    ["auth_user", "auth user"],
    ["sessionAttributes.remote_ip", "session Attributes remote ip"],
    ["SID=sid", "SID"],
    ["lastUsedAt", "last Used At"],
    ["HTTPStatus", "HTTP Status"],
  ])("%s", (spec, words) => {
    expect(headerWords(parseColumn(spec))).toBe(words);
  });
});

describe("--query with a legacy literal, end to end", () => {
  it("filters as the JSON literal would", async () => {
    const h = await harness();
    try {
      await addUser(h, "dora");
      expect((await h.login("dora")).status).toBe(200);
      const env = testEnv({ OPCLI_HOST: "http://ref.test", OPCLI_ACCESS_TOKEN: await h.token() });
      const r = await runInProcess(
        [
          "--operation-id",
          "get-sessions",
          "--query",
          "entries[?state==`authenticated`].sessionAttributes.auth_user",
        ],
        { env, transport: appTransport(h.app) },
      );
      expect([r.code, r.stderr]).toEqual([0, ""]);
      expect(JSON.parse(r.stdout)).toEqual(["dora"]);
    } finally {
      await h.close();
    }
  });
});
