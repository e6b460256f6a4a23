import { describe, expect, it } from "vitest";
import { parseFilter } from "../../src/tui/filter.js";
import { columnWidths, pageRows } from "../../src/tui/layout.js";

// The table from the terminal's size: page rows from the height; widths that keep identifiers
// whole whenever they can.

describe("pageRows", () => {
  it.each([
    [24, 18],
    [40, 34],
    [50, 44],
    [3, 1],
  ])("%i rows give %i a page", (height, rows) => {
    expect(pageRows(height)).toBe(rows);
  });
});

describe("columnWidths", () => {
  // USER, ADDRESS, STATE, SID (36), USER AGENT (60)
  const natural = [12, 15, 13, 36, 60];
  const headers = [4, 7, 5, 3, 10];
  const ids = [true, true, false, true, false];
  it.each([
    [200, [12, 15, 13, 36, 60]],
    [120, [12, 15, 13, 36, 36]],
    [80, [12, 15, 11, 36]],
    [40, [12, 15, 9]],
  ])("at %i columns: %j", (width, want) => {
    const w = columnWidths(natural, headers, ids, width);
    expect(w).toEqual(want);
    expect(w.reduce((a, b) => a + b, 0) + 2 * (w.length - 1)).toBeLessThanOrEqual(width);
  });

  it("cuts identifiers only when not even the first column fits whole", () => {
    expect(columnWidths([30, 10], [4, 4], [true, false], 20)).toEqual([12, 6]);
    expect(columnWidths([30, 10], [4, 4], [true, false], 40)).toEqual([30, 8]);
  });
});

describe("parseFilter", () => {
  const WORDS = ["user", "ip", "created", "expires"];
  it.each([
    ["alice", "alice", {}],
    ["user=alice ip=10.0.0.1", "", { user: ["=", "alice"], ip: ["=", "10.0.0.1"] }],
    ["created>2026-01-01 web", "web", { created: [">", "2026-01-01"] }],
    ["expires=2026-02-01", "", { expires: ["=", "2026-02-01"] }],
    ["client=web user=a user=b", "client=web", { user: ["=", "b"] }],
    ["a\x7fb", "ab", {}],
  ])("%j", (line, pattern, fields) => {
    const form = parseFilter(line, WORDS);
    expect(form.pattern).toBe(pattern);
    expect(Object.fromEntries(form.fields)).toEqual(fields);
  });
});
