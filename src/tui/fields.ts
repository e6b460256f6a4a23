import { pick } from "../output/items.js";
import { relativeTime } from "../output/table.js";

// Reading values out of a document's JSON: strings, times (relative for tables, exact for the
// describe view and hover), and the earliest of several deadlines.

export type Raw = Record<string, unknown>;

export const str = (v: unknown): string =>
  typeof v === "string"
    ? v
    : v === undefined || v === null
      ? ""
      : typeof v === "object"
        ? JSON.stringify(v)
        : String(v);

/** A time as milliseconds, or NaN (ISO strings and epoch milliseconds both occur). */
export function timeOf(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v !== "") return new Date(v).getTime();
  return Number.NaN;
}

/** "5m ago", "in 55m", or "" when absent. */
export const relative = (v: unknown, now: number): string => {
  const t = timeOf(v);
  return Number.isFinite(t) ? relativeTime(t, now) : "";
};

/** "in 55m (2026-01-01T12:55:00Z)": both, for the describe view. */
export const exact = (v: unknown, now: number): string => {
  const t = timeOf(v);
  if (!Number.isFinite(t)) return "";
  return `${relativeTime(t, now)}  (${new Date(t).toISOString().replace(/\.000Z$/, "Z")})`;
};

/** The first value present (neither undefined nor null) at one of these dotted paths. */
export function first(raw: Raw, paths: readonly string[]): unknown {
  for (const p of paths) {
    const v = pick(raw, p);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/** The earliest of these times (epoch milliseconds), if any is one. */
export function earliest(vs: readonly unknown[]): number | undefined {
  const xs = vs.map(timeOf).filter(Number.isFinite);
  return xs.length ? Math.min(...xs) : undefined;
}
