import { describe, expect, it } from "vitest";
import { parseDateInterval } from "../../../src/server/core/dates.js";

const t = (s: string) => Date.parse(s);

describe("parseDateInterval", () => {
  const ok: [string, string, number][] = [
    ["2024-10-12", "2024-10-12T00:00:00Z", 86_400_000],
    ["2024-10-12 00:00:00", "2024-10-12T00:00:00Z", 1000],
    ["2024-10-12T13:45", "2024-10-12T13:45:00Z", 60_000],
    ["2024-10-12T13:45:07.5", "2024-10-12T13:45:07.500Z", 1],
    ["2024-10-12T13:45:07Z", "2024-10-12T13:45:07Z", 1000],
    ["2024-10-12T13:45:07+02:00", "2024-10-12T11:45:07Z", 1000],
    ["2024-10-12T13:45:07-0130", "2024-10-12T15:15:07Z", 1000],
    ["2024-02-29", "2024-02-29T00:00:00Z", 86_400_000],
  ];
  it.each(ok)("%s", (input, start, width) => {
    expect(parseDateInterval(input)).toEqual({ start: t(start), end: t(start) + width });
  });

  it.each([
    "2023-02-29",
    "2024-13-01",
    "2024-10-12 25:00:00",
    "yesterday",
    "2024/10/12",
    "",
    "2024-10-12T10:61",
  ])("rejects %j", (input) => {
    expect(parseDateInterval(input)).toBeNull();
  });
});
