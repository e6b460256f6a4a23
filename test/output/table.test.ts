import { describe, expect, it } from "vitest";
import { fitWidths, relativeTime, renderTable } from "../../src/output/table.js";
import { sink } from "../helpers/out-sink.js";

const OPTS = { wide: false, colour: false, now: Date.UTC(2026, 0, 1, 12) };

describe("renderTable", () => {
  it("on a pipe: tab-separated, every key seen a column, nested objects as k=v, full values", async () => {
    const s = sink(false);
    await renderTable(
      [
        { sid: "5c306424-462c-4b2d-8827-61c93dee54ce", n: 1 },
        { sid: "b", m: { k: "v" }, t: "2026-01-01T11:55:00Z" },
      ],
      s.out,
      undefined,
      OPTS,
    );
    expect(s.text()).toBe(
      "sid\tn\tm\tt\n5c306424-462c-4b2d-8827-61c93dee54ce\t1\t\t\nb\t\tk=v\t2026-01-01T11:55:00Z\n",
    );
  });

  it("on a terminal: fits the width, no rules between rows, relative times, whole ids; NAME=path columns", async () => {
    const s = sink(true);
    s.out.columns = 60;
    const rows = Array.from({ length: 3 }, (_, i) => ({
      sid: `5c306424-462c-4b2d-8827-61c93dee54c${i}`,
      user: { name: `a-rather-long-user-name-${i}` },
      exp: "2026-01-01T12:55:00Z",
    }));
    await renderTable(rows, s.out, ["SID=sid", "USER=user.name", "EXPIRES=exp"], OPTS);
    const lines = s.text().trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(lines[0]).toMatch(/^SID +USER +EXPIRES$/);
    expect(lines[1]).toMatch(/^5c306424-462c-4b2d-8827-61c93dee54c0 +a-rather-lon… +in 55m$/);
  });

  it.each([20, 30, 40, 50])(
    "in %i columns the identifier columns stay whole; others are cut or go first",
    async (width) => {
      const s = sink(true);
      s.out.columns = width;
      const rows = [
        {
          x: "a long free-text value here",
          sid: "5c306424-462c-4b2d-8827-61c93dee54c0",
          user: "demo-user-003",
        },
      ];
      await renderTable(rows, s.out, ["NOTE=x", "SID=sid", "USER=auth_user", "U=user"], OPTS);
      expect(s.text()).toContain("5c306424-462c-4b2d-8827-61c93dee54c0");
      expect(s.text().split("\n")[0]).toMatch(/SID/);
    },
  );

  it("the KEY/VALUE view of one object never cuts, however narrow the terminal", async () => {
    const s = sink(true);
    s.out.columns = 20;
    const long = "jansId=5c306424-462c-4b2d-8827-61c93dee54c0,ou=sessions,o=jans";
    await renderTable([{ dn: long, note: "x".repeat(70) }], s.out, undefined, OPTS);
    expect(s.text()).toContain(long);
    expect(s.text()).toContain("x".repeat(70));
    expect(s.text()).not.toContain("…");
  });

  it("one object is a KEY/VALUE view of its nested fields", async () => {
    const s = sink(true);
    await renderTable([{ sid: "x", attrs: { ip: "1.2.3.4" } }], s.out, undefined, { ...OPTS, wide: true });
    expect(s.text().trimEnd().split("\n")).toEqual(["KEY       VALUE", "sid       x", "attrs.ip  1.2.3.4"]);
  });
});

describe("fitWidths", () => {
  it.each([
    [[10, 10, 10], [3, 3, 3], 80, [10, 10, 10]],
    [[30, 10, 30], [3, 3, 3], 50, [18, 10, 18]],
    [[30, 30, 30], [20, 20, 20], 50, [24, 24, undefined]],
    [[5], [5], 3, [5]],
  ])("%j headers %j in %i columns", (natural, headers, width, expected) => {
    expect(fitWidths(natural, headers, width)).toEqual(expected);
  });

  it.each([
    // Kept columns are never cut: the others shrink, then go (last first), kept ones stay.
    [[36, 30, 10], [3, 4, 7], 60, [true, false, false], [36, 10, 10]],
    [[10, 36, 30], [4, 3, 4], 46, [false, true, false], [8, 36, undefined]],
    [[36, 30, 10], [3, 4, 7], 30, [true, false, false], [36, undefined, undefined]],
    [[50, 50], [3, 3], 40, [true, true], [50, 50]],
  ])("%j keep %j in %i columns", (natural, headers, width, keep, expected) => {
    expect(fitWidths(natural, headers, width, keep)).toEqual(expected);
  });
});

describe("relativeTime", () => {
  const now = Date.UTC(2026, 0, 1, 12);
  it.each([
    [now - 5 * 60_000, "5m ago"],
    [now + 55 * 60_000, "in 55m"],
    [now - 30_000, "30s ago"],
    [now + 3 * 3600_000, "in 3h"],
    [now - 2 * 86400_000, "2d ago"],
    [now, "now"],
  ])("%i", (t, expected) => {
    expect(relativeTime(t, now)).toBe(expected);
  });
});
