import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CREST_OPERATORS,
  type CrestFilter,
  MAX_FILTER_DEPTH,
  parseQueryFilter,
  printQueryFilter,
} from "../../src/shared/crest-filter.js";

const cmp = (field: string, op: string, value: unknown) => ({ type: "compare", op, field: [field], value });

describe("parseQueryFilter", () => {
  const ok: [string, unknown][] = [
    ['username eq "b0f30dfb"', cmp("username", "eq", "b0f30dfb")],
    [
      'username eq "b0f30dfb-4e01" and realm eq "/alpha"',
      { type: "and", filters: [cmp("username", "eq", "b0f30dfb-4e01"), cmp("realm", "eq", "/alpha")] },
    ],
    ["/latestAccessTime gt 5", cmp("latestAccessTime", "gt", 5)],
    ["x ge -1.5e3", cmp("x", "ge", -1500)],
    ["x EQ TRUE", cmp("x", "eq", true)],
    ["x pr", { type: "present", field: ["x"] }],
    ['/a/b~1c~0d sw ""', { type: "compare", op: "sw", field: ["a", "b/c~d"], value: "" }],
    ["true", { type: "literal", value: true }],
    ["False", { type: "literal", value: false }],
    ["!(x pr)", { type: "not", filter: { type: "present", field: ["x"] } }],
    ["! x pr", { type: "not", filter: { type: "present", field: ["x"] } }],
    ['  ( ( a eq "v w" ) )  ', cmp("a", "eq", "v w")],
    [
      "a pr or b pr and c pr",
      {
        type: "or",
        filters: [
          { type: "present", field: ["a"] },
          {
            type: "and",
            filters: [
              { type: "present", field: ["b"] },
              { type: "present", field: ["c"] },
            ],
          },
        ],
      },
    ],
    ['a eq "(and) or !"', cmp("a", "eq", "(and) or !")],
  ];
  it.each(ok)("parses %j", (input, expected) => {
    const r = parseQueryFilter(input);
    expect(r).toEqual({ ok: true, filter: expected });
  });

  const bad: [string, RegExp, number][] = [
    ["", /empty/, 0],
    ["   ", /empty/, 0],
    ["username", /expected an operator after "username" but the filter ended/, 8],
    ['username ne "x"', /unknown operator "ne"/, 9],
    ['username eq "x', /unterminated string/, 12],
    ["username eq bjensen", /expected a number, true, false or a "quoted string" but found "bjensen"/, 12],
    ['username eq "x" and', /expected a comparison, \( or true\/false but the filter ended/, 19],
    ['(username eq "x"', /expected \) but the filter ended/, 16],
    ['username eq "x")', /unexpected "\)"/, 15],
    ['"x" eq 1', /expected a field but found "x"/, 0],
    ["a eq 1 b eq 2", /unexpected "b"/, 7],
    ["a eq 1e999", /expected a number/, 5],
    [`${"(".repeat(MAX_FILTER_DEPTH + 1)}true${")".repeat(MAX_FILTER_DEPTH + 1)}`, /nested deeper/, 64],
  ];
  it.each(bad)("refuses %j", (input, message, position) => {
    const r = parseQueryFilter(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toMatch(message);
      expect(r.error.position).toBe(position);
    }
  });

  it("never throws anything but a parse error, whatever the input", () => {
    const alphabet = fc.constantFrom(
      ...'ab eqcoswprandor!()"/~01 .-+eE'.split(""),
      "true",
      "false",
      " and ",
      " or ",
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(alphabet, { maxLength: 60 }).map((a) => a.join("")),
        ),
        (s) => {
          const r = parseQueryFilter(s);
          if (!r.ok) {
            expect(r.error.position).toBeGreaterThanOrEqual(0);
            expect(r.error.position).toBeLessThanOrEqual(s.length);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("parses a printed filter back to the same filter", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.~/!-]{1,8}$/);
    const field = fc.array(segment, { minLength: 1, maxLength: 3 });
    const value = fc.oneof(
      fc.stringMatching(/^[^"]{0,12}$/),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
      fc.boolean(),
    );
    const { filter } = fc.letrec<{ filter: CrestFilter }>((tie) => ({
      filter: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.record({ type: fc.constant("literal" as const), value: fc.boolean() }),
        fc.record({ type: fc.constant("present" as const), field }),
        fc.record({
          type: fc.constant("compare" as const),
          op: fc.constantFrom(...CREST_OPERATORS),
          field,
          value,
        }),
        fc.record({ type: fc.constant("not" as const), filter: tie("filter") }),
        fc.record({
          type: fc.constantFrom("and" as const, "or" as const),
          filters: fc.array(tie("filter"), { minLength: 2, maxLength: 3 }),
        }),
      ),
    }));
    fc.assert(
      fc.property(filter, (f) => {
        expect(parseQueryFilter(printQueryFilter(f))).toEqual({ ok: true, filter: f });
      }),
      { numRuns: 2000 },
    );
  });
});
