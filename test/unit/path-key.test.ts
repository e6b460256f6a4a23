import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixedQueryString } from "../../src/http/serialize.js";
import { displayPath } from "../../src/spec/model.js";
import { splitPathKey } from "../../src/spec/operation-names.js";

// Path keys that carry a fixed query (RPC-style documents: `/sessions#_action=logout`).

describe("splitPathKey", () => {
  it.each([
    ["/sessions", "/sessions", []],
    ["/sessions#_action=logout", "/sessions", [{ name: "_action", value: "logout" }]],
    ["/sessions?_action=logout", "/sessions", [{ name: "_action", value: "logout" }]],
    [
      "/s/{id}#a=1&b=x%20y",
      "/s/{id}",
      [
        { name: "a", value: "1" },
        { name: "b", value: "x y" },
      ],
    ],
    ["/#Action=List", "/", [{ name: "Action", value: "List" }]],
    ["#Action=List", "/", [{ name: "Action", value: "List" }]],
    ["/sessions#", "/sessions", []],
    ["/sessions#=x&flag", "/sessions", [{ name: "flag", value: "" }]],
  ])("%s", (key, path, fixed) => {
    expect(splitPathKey(key)).toEqual({ path, fixed });
  });

  it("round-trips through displayPath and the request's query for any names and values", () => {
    const text = fc.string({ minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(
        fc.stringMatching(/^(\/[a-z{}]{1,6}){1,3}$/),
        fc.array(fc.record({ name: text, value: fc.string({ maxLength: 10 }) }), { maxLength: 3 }),
        (path, fixed) => {
          const query = fixedQueryString({ fixedQuery: fixed });
          const parsed = splitPathKey(`${path}${query ? `#${query}` : ""}`);
          expect(parsed).toEqual({ path, fixed });
          expect(displayPath({ path, fixedQuery: [] })).toBe(path);
          expect(new URLSearchParams(query).getAll(fixed[0]?.name ?? "")).toEqual(
            fixed.filter((q) => q.name === fixed[0]?.name).map((q) => q.value),
          );
        },
      ),
    );
  });
});
