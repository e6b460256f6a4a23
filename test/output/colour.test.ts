import { describe, expect, it } from "vitest";
import { colourEnabled } from "../../src/output/colour.js";

describe("colourEnabled: one decision for JSON and tables", () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: "1" }, true, false],
    [{ NO_COLOR: "1", FORCE_COLOR: "1" }, true, false],
    [{ NO_COLOR: "" }, true, true],
    [{ FORCE_COLOR: "1" }, false, true],
    [{ FORCE_COLOR: "0" }, true, false],
    [{ CLICOLOR_FORCE: "1" }, false, true],
    [{ CLICOLOR: "0" }, true, false],
    [{ CLICOLOR: "0", CLICOLOR_FORCE: "1" }, true, true],
    [{ TERM: "dumb" }, true, false],
  ])("%j on a tty=%s: %s", (env, tty, expected) => {
    expect(colourEnabled(env as Record<string, string>, tty)).toBe(expected);
  });
});
