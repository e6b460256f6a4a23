import type { OutStream } from "../cli/io.js";

function rowsOf(value: unknown): Record<string, unknown>[] | undefined {
  if (Array.isArray(value))
    return value.every((v) => typeof v === "object" && v !== null)
      ? (value as Record<string, unknown>[])
      : undefined;
  if (typeof value === "object" && value !== null) {
    const v = value as Record<string, unknown>;
    // Paged results (Janssen's entries, and the usual items/data/results) show their items.
    for (const key of ["entries", "items", "data", "results"])
      if (Array.isArray(v[key])) return rowsOf(v[key]);
    return [v];
  }
  return undefined;
}

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

/** Arrays of objects and paged results as a cli-table3 table; anything else falls back to JSON. */
export async function printTable(value: unknown, out: OutStream): Promise<boolean> {
  const rows = rowsOf(value);
  if (!rows) return false;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const { default: Table } = await import("cli-table3");
  const table = new Table({
    head: columns,
    style: { head: out.isTTY ? ["cyan"] : [], border: out.isTTY ? ["grey"] : [] },
  });
  for (const r of rows) table.push(columns.map((c) => cell(r[c])));
  out.write(`${table.toString()}\n`);
  if (typeof value === "object" && value !== null && "totalEntriesCount" in value) {
    const v = value as { totalEntriesCount: unknown; entriesCount?: unknown; start?: unknown };
    out.write(`${v.entriesCount ?? rows.length} of ${v.totalEntriesCount} (from ${v.start ?? 0})\n`);
  }
  return true;
}
