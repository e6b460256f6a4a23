import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatFieldValuePairs, OPERATORS, parseFieldValuePairs } from "../../src/shared/field-value-pair.js";

describe("parseFieldValuePairs", () => {
  const ok: [string, [string, string, string][]][] = [
    ["", []],
    ["   ", []],
    ["auth_user=admin", [["auth_user", "=", "admin"]]],
    [
      "auth_user=admin,expirationDate>2024-10-12 00:00:00",
      [
        ["auth_user", "=", "admin"],
        ["expirationDate", ">", "2024-10-12 00:00:00"],
      ],
    ],
    ["a!=b", [["a", "!=", "b"]]],
    [
      "a<=1,b>=2,c<3,d>4",
      [
        ["a", "<=", "1"],
        ["b", ">=", "2"],
        ["c", "<", "3"],
        ["d", ">", "4"],
      ],
    ],
    [" key = spaced value ", [["key", "=", "spaced value"]]],
    ['userDn="inum=1,ou=people,o=jans"', [["userDn", "=", "inum=1,ou=people,o=jans"]]],
    ['x="a \\"q\\" \\\\ b"', [["x", "=", 'a "q" \\ b']]],
    ["time=12:30:00", [["time", "=", "12:30:00"]]],
    ["userDn=inum=1", [["userDn", "=", "inum=1"]]],
  ];
  it.each(ok)("parses %j", (input, expected) => {
    const r = parseFieldValuePairs(input);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.pairs.map((p) => [p.key, p.op, p.value])).toEqual(expected);
  });

  const bad: [string, RegExp, number][] = [
    ["auth_user", /no operator after "auth_user"/, 0],
    ["a=b,,c=d", /empty pair/, 4],
    ["a=b,", /empty pair/, 4],
    ["=b", /does not start with a field name/, 0],
    ["a=b,c~d", /no operator after "c"/, 4],
    ["a=", /no value/, 0],
    ["a==b", /bad operator "=="/, 0],
    ["a=<b", /bad operator "=<"/, 0],
    ['a="unterminated', /unterminated quoted value/, 0],
    ['a="x"y', /badly quoted/, 0],
    ["1a=b", /does not start with a field name/, 0],
  ];
  it.each(bad)("rejects %j", (input, message, offset) => {
    const r = parseFieldValuePairs(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(message);
      expect(r.error.offset).toBe(offset);
    }
  });
});

describe("fieldValuePair properties", () => {
  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const r = parseFieldValuePairs(s);
        expect(typeof r.ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });

  const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/);
  const value = fc.string({ minLength: 1, maxLength: 20 }).filter((v) => v.trim() === v && v.trim() !== "");
  const pair = fc.record({ key, op: fc.constantFrom(...OPERATORS), value });

  it("format then parse round-trips", () => {
    fc.assert(
      fc.property(fc.array(pair, { minLength: 1, maxLength: 6 }), (pairs) => {
        const r = parseFieldValuePairs(formatFieldValuePairs(pairs));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.pairs.map(({ key, op, value }) => ({ key, op, value }))).toEqual(pairs);
      }),
      { numRuns: 1000 },
    );
  });
});
