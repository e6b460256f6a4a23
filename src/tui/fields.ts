import { relativeTime } from "../output/table.js";

// Reading values out of a document's JSON: strings, times (relative for tables, exact for the
// describe view and hover), and the earlier of two deadlines.

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

/** The earlier of two deadlines (a session ends at whichever comes first). */
export function earlier(a: unknown, b: unknown): number | undefined {
  const xs = [timeOf(a), timeOf(b)].filter(Number.isFinite);
  return xs.length ? Math.min(...xs) : undefined;
}

/** A value at a dotted path (`sessionAttributes.auth_user`). */
export function at(raw: Raw, path: string): unknown {
  let v: unknown = raw;
  for (const k of path.split(".")) v = v && typeof v === "object" ? (v as Raw)[k] : undefined;
  return v;
}
