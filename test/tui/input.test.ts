import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { editText, isControl } from "../../src/tui/input.js";

// Text as terminals send it: DEL (0x7f) and BS (0x08) erase, alone or in bursts; other control
// characters never reach the text.

describe("editText", () => {
  it.each([
    ["abc", "\x7f", {}, "ab"],
    ["abc", "\x7f\x7f\x7f", {}, ""],
    ["abc", "\b\b", {}, "a"],
    ["abc", "\x7f\x7fxy", {}, "axy"],
    ["abc", "", { delete: true }, "ab"],
    ["abc", "", { backspace: true }, "ab"],
    ["", "\x7f\x7f", {}, ""],
    ["a", "\x01\x1b\t\rb", {}, "ab"],
    ["a", "d", { ctrl: true }, "a"],
    ["", "héllo ✓", {}, "héllo ✓"],
  ])("%j + %j (%j) is %j", (value, input, key, out) => {
    expect(editText(value, input, key)).toBe(out);
  });

  it("never lets a control character in, whatever arrives", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.array(fc.string({ unit: "binary" }), { maxLength: 20 }),
        (start, inputs) => {
          const clean = [...start].filter((c) => !isControl(c)).join("");
          const out = inputs.reduce((v, i) => editText(v, i), clean);
          expect([...out].some(isControl)).toBe(false);
        },
      ),
    );
  });

  it("a burst of n erasers is n single Backspaces", () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(30), (text, n) => {
        const clean = [...text].filter((c) => !isControl(c)).join("");
        const one = Array.from({ length: n }).reduce<string>((v) => editText(v, "", { delete: true }), clean);
        expect(editText(clean, "\x7f".repeat(n))).toBe(one);
      }),
    );
  });
});
