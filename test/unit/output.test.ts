import { describe, expect, it } from "vitest";
import { printJson } from "../../src/output/json.js";
import { renderTable } from "../../src/output/table.js";

function sink(isTTY: boolean) {
  let text = "";
  const write = (s: string) => {
    text += s;
  };
  return { out: { isTTY, write }, text: () => text };
}

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

describe("renderTable", () => {
  it("renders rows with every key seen as a column, nested objects as k=v", async () => {
    const s = sink(false);
    await renderTable(
      [
        { sid: "a", n: 1 },
        { sid: "b", m: { k: "v" } },
      ],
      s.out,
    );
    expect(s.text()).toMatch(/│ sid │ n +│ m +│/);
    expect(s.text()).toMatch(/│ b +│ +│ k=v │/);
  });
});
