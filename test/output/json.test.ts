import { describe, expect, it } from "vitest";
import { printJson } from "../../src/output/json.js";
import { sink } from "../helpers/out-sink.js";

describe("printJson", () => {
  const value = { a: 1, b: "x", c: [true, null] };
  it("is compact when piped", async () => {
    const s = sink(false);
    await printJson(value, s.out, {});
    expect(s.text()).toBe('{"a":1,"b":"x","c":[true,null]}\n');
  });
  it("is pretty and plain on a terminal with NO_COLOR", async () => {
    const s = sink(true);
    await printJson(value, s.out, { NO_COLOR: "1" });
    expect(s.text()).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });
  it("is coloured on a terminal when colour is forced, and strips back to the same JSON", async () => {
    const s = sink(true);
    const prev = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = "1";
    try {
      await printJson(value, s.out, {});
    } finally {
      if (prev === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = prev;
    }
    expect(s.text()).toContain("\u001b[");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colour codes
    expect(JSON.parse(s.text().replace(/\u001b\[\d+m/g, ""))).toEqual(value);
  });
});
