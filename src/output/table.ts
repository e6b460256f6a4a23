import { lazyRequire } from "../platform/lazy-require.js";
import { pick } from "./items.js";
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
