// Dates in filters: each value is an interval [start, end) at the precision it was written in,
// so `expirationDate=2024-10-12` matches that whole day and `>` means after its end.

import type { DateInterval } from "../store/query.js";

export type { DateInterval };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

function validParts(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === s
  );
}

function offsetMs(zone: string | undefined): number {
  if (!zone || zone === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Parses `yyyy-MM-dd`, `yyyy-MM-dd HH:mm[:ss[.SSS]]` and ISO forms (UTC unless a zone is given). */
export function parseDateInterval(text: string): DateInterval | null {
  const day = DAY.exec(text);
  if (day) {
    const [y, mo, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (!validParts(y, mo, d)) return null;
    const start = Date.UTC(y, mo - 1, d);
    return { start, end: start + 86_400_000 };
  }
  const m = DATETIME.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i])) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (!validParts(y, mo, d, h, mi, s)) return null;
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0"));
  const start = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMs(m[8]);
  const width = m[7] !== undefined ? 1 : m[6] !== undefined ? 1000 : 60_000;
  return { start, end: start + width };
}

/** ISO 8601 with milliseconds, UTC. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString();
}
