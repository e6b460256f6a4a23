import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixedQueryString } from "../../src/http/serialize.js";
import { displayPath } from "../../src/spec/model.js";
import { splitPathKey } from "../../src/spec/operation-names.js";

// Path keys that carry a fixed query (RPC-style documents: `/sessions#_action=logout`).

describe("splitPathKey", () => {
  it.each([
    ["/sessions", { path: "/sessions", fixed: [] }],
    // A fragment is a label, never sent (RFC 3986 §3.5).
    ["/sessions#logout", { path: "/sessions", fixed: [], label: "logout" }],
    ["/sessions#_action=logout", { path: "/sessions", fixed: [], label: "_action=logout" }],
    ["/sessions?_action=logout", { path: "/sessions", fixed: [{ name: "_action", value: "logout" }] }],
    [
      "/s/{id}?a=1&b=x%20y#label",
      {
        path: "/s/{id}",
        fixed: [
          { name: "a", value: "1" },
          { name: "b", value: "x y" },
        ],
        label: "label",
      },
    ],
    ["/?Action=List", { path: "/", fixed: [{ name: "Action", value: "List" }] }],
    ["#Action=List", { path: "/", fixed: [], label: "Action=List" }],
    ["/sessions#", { path: "/sessions", fixed: [] }],
    ["/sessions?=x&flag", { path: "/sessions", fixed: [{ name: "flag", value: "" }] }],
  ])("%s", (key, expected) => {
    expect(splitPathKey(key)).toEqual(expected);
  });

  it("round-trips through displayPath and the request's query for any names and values", () => {
    const text = fc.string({ minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(
        fc.stringMatching(/^(\/[a-z{}]{1,6}){1,3}$/),
        fc.array(fc.record({ name: text, value: fc.string({ maxLength: 10 }) }), { maxLength: 3 }),
        (path, fixed) => {
          const query = fixedQueryString({ fixedQuery: fixed });
          const parsed = splitPathKey(`${path}${query ? `?${query}` : ""}#a-label`);
          expect(parsed).toEqual({ path, fixed, label: "a-label" });
          expect(displayPath({ path, fixedQuery: [] })).toBe(path);
          expect(new URLSearchParams(query).getAll(fixed[0]?.name ?? "")).toEqual(
            fixed.filter((q) => q.name === fixed[0]?.name).map((q) => q.value),
          );
        },
      ),
    );
  });
});
