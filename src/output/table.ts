import { lazyRequire } from "../platform/lazy-require.js";
import { itemsOf, pick } from "./items.js";
import type { OutStream } from "./stream.js";

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>);
    if (!Array.isArray(v) && entries.every(([, x]) => typeof x !== "object"))
      return entries.map(([k, x]) => `${k}=${x}`).join("\n");
    return JSON.stringify(v);
  }
  return String(v);
}

/** Rows of objects as a cli-table3 table; columns given, or every key seen. */
export async function renderTable(rows: unknown[], out: OutStream, columns?: string[]): Promise<void> {
  const objects = rows.map((r) =>
    typeof r === "object" && r !== null ? (r as Record<string, unknown>) : { value: r },
  );
  const cols = columns?.length ? columns : [...new Set(objects.flatMap((r) => Object.keys(r)))];
  const Table = lazyRequire("cli-table3") as typeof import("cli-table3");
  const table = new Table({
    head: cols,
    style: { head: out.isTTY ? ["cyan"] : [], border: out.isTTY ? ["grey"] : [] },
  });
  for (const r of objects) table.push(cols.map((c) => cell(pick(r, c))));
  out.write(`${table.toString()}\n`);
}

/** Arrays of objects and paged results as a table; anything else falls back to JSON. */
export async function printTable(value: unknown, out: OutStream, columns?: string[]): Promise<boolean> {
  const rows = itemsOf(value) ?? (typeof value === "object" && value !== null ? [value] : undefined);
  if (!rows?.every((r) => typeof r === "object" && r !== null)) return false;
  await renderTable(rows, out, columns);
  if (typeof value === "object" && value !== null && "totalEntriesCount" in value) {
    const v = value as { totalEntriesCount: unknown; entriesCount?: unknown; start?: unknown };
    out.write(`${v.entriesCount ?? rows.length} of ${v.totalEntriesCount} (from ${v.start ?? 0})\n`);
  }
  return true;
}
