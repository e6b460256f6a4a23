import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatArgPairs, parseArgPairs, splitEscaped } from "../../src/client/arg-pairs.js";
import { UsageError } from "../../src/platform/errors.js";

describe("endpoint-args / url-suffix tokenizer", () => {
  const ok: [string, [string, string][]][] = [
    ["", []],
    ["limit:5", [["limit", "5"]]],
    [
      "limit:5,pattern:abc",
      [
        ["limit", "5"],
        ["pattern", "abc"],
      ],
    ],
    ["url:http://x:8080/a", [["url", "http://x:8080/a"]]],
    [
      "fieldValuePair:auth_user=admin\\,expirationDate>2024-10-12 00:00:00",
      [["fieldValuePair", "auth_user=admin,expirationDate>2024-10-12 00:00:00"]],
    ],
    ["userDn:inum=1\\,ou=people\\,o=jans", [["userDn", "inum=1,ou=people,o=jans"]]],
    [
      "p:a\\\\,q:b",
      [
        ["p", "a\\"],
        ["q", "b"],
      ],
    ],
    ["p:a\\b", [["p", "a\\b"]]],
    ["p:", [["p", ""]]],
    [
      "tag:x,tag:y",
      [
        ["tag", "x"],
        ["tag", "y"],
      ],
    ],
    [" limit :5", [["limit", "5"]]],
  ];
  it.each(ok)("%j", (input, expected) => {
    expect(parseArgPairs(input, "--endpoint-args").map((p) => [p.key, p.value])).toEqual(expected);
  });

  it.each([
    ["novalue", /item 1 is "novalue"/],
    ["a:1,,b:2", /item 2 is an empty item/],
    [":x", /item 1 is ":x"/],
    ["a:1,b", /item 2 is "b"/],
  ])("rejects %j", (input, message) => {
    expect(() => parseArgPairs(input, "--endpoint-args")).toThrow(message);
  });

  it("splits only on unescaped commas", () => {
    expect(splitEscaped("a\\,b,c\\\\,d")).toEqual(["a,b", "c\\", "d"]);
  });

  it("throws nothing but a usage error, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        try {
          parseArgPairs(s, "--endpoint-args");
        } catch (err) {
          expect(err).toBeInstanceOf(UsageError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("format then parse round-trips", () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.<>-]{0,10}$/);
    fc.assert(
      fc.property(
        fc.array(fc.record({ key, value: fc.string() }), { minLength: 1, maxLength: 5 }),
        (pairs) => {
          expect(parseArgPairs(formatArgPairs(pairs), "x")).toEqual(pairs);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("one quoting rule for every name:value flag", () => {
  it.each([
    ['userDn:"inum=1,ou=people,o=jans"', [{ key: "userDn", value: "inum=1,ou=people,o=jans" }]],
    [
      'a:"x:y,z",b:2',
      [
        { key: "a", value: "x:y,z" },
        { key: "b", value: "2" },
      ],
    ],
    [
      'fieldValuePair:userDn="inum=1,ou=people",limit:5',
      [
        { key: "fieldValuePair", value: 'userDn="inum=1,ou=people"' },
        { key: "limit", value: "5" },
      ],
    ],
    ['q:say \\"hi\\"', [{ key: "q", value: 'say "hi"' }]],
    ['q:"\\"quoted\\" whole"', [{ key: "q", value: '"quoted" whole' }]],
    ["dn:inum=1\\,ou=people", [{ key: "dn", value: "inum=1,ou=people" }]],
  ])("%s", (input, pairs) => {
    expect(parseArgPairs(input, "--endpoint-args")).toEqual(pairs);
  });

  it("refuses an unclosed quote", () => {
    expect(() => parseArgPairs('a:"x,b:2', "--url-suffix")).toThrow(
      /--url-suffix: a double quote is not closed/,
    );
  });
});
