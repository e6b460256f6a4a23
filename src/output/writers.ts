import { lazyRequire } from "../platform/lazy-require.js";
import { escapeControls, safeJson } from "../platform/terminal-text.js";
import { colourEnabled } from "./colour.js";
import { cellOf, parseColumn } from "./columns.js";
import type { OutStream } from "./stream.js";

// Output writers: each takes items one at a time, so --all streams in flat memory
// (table output alone buffers, since column widths need every row).

import type { Format } from "./formats.js";

export { FORMATS, type Format } from "./formats.js";

export interface ItemWriter {
  item(value: unknown): void;
  end(): Promise<void>;
}

export interface WriterOptions {
  columns?: string[];
  env: Record<string, string | undefined>;
  /** The clock relative times are measured against. */
  now?: () => number;
}

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return "";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function columnsFor(value: unknown, given: string[] | undefined): string[] {
  if (given?.length) return given;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return Object.keys(value);
  return ["value"];
}

function cellValue(item: unknown, col: string): unknown {
  return cellOf(item, parseColumn(col));
}

type YamlDump = (v: unknown) => string;
async function yamlDump(): Promise<YamlDump> {
  const mod = lazyRequire("js-yaml") as typeof import("js-yaml") & { default?: typeof import("js-yaml") };
  const y = mod.default ?? mod;
  return (v) => y.dump(v, { lineWidth: -1, noRefs: true });
}

export async function createWriter(format: Format, out: OutStream, opts: WriterOptions): Promise<ItemWriter> {
  switch (format) {
    case "ndjson":
      return { item: (v) => out.write(`${safeJson(JSON.stringify(v))}\n`), end: async () => {} };
    case "raw":
      return {
        // Raw is as it came on a pipe; a terminal is not handed the server's control sequences.
        item: (v) => {
          const s = typeof v === "string" ? v : safeJson(JSON.stringify(v));
          out.write(`${out.isTTY ? escapeControls(s, true) : s}\n`);
        },
        end: async () => {},
      };
    case "yaml": {
      const dump = await yamlDump();
      return {
        item: (v) => out.write(out.isTTY ? escapeControls(dump([v]), true) : dump([v])),
        end: async () => {},
      };
    }
    case "csv": {
      let cols: string[] | undefined;
      return {
        item: (v) => {
          if (!cols) {
            cols = columnsFor(v, opts.columns);
            out.write(`${cols.map((c) => csvCell(parseColumn(c).header)).join(",")}\n`);
          }
          out.write(`${cols.map((c) => csvCell(cellValue(v, c))).join(",")}\n`);
        },
        end: async () => {},
      };
    }
    case "table":
    case "wide": {
      const rows: unknown[] = [];
      return {
        item: (v) => rows.push(v),
        end: async () => {
          const { renderTable } = await import("./table.js");
          await renderTable(rows, out, opts.columns, {
            wide: format === "wide",
            colour: colourEnabled(opts.env, out.isTTY),
            now: (opts.now ?? Date.now)(),
          });
        },
      };
    }
    default: {
      let n = 0;
      const pretty = out.isTTY;
      return {
        item: (v) => {
          const text = safeJson(
            pretty ? JSON.stringify(v, null, 2).replace(/\n/g, "\n  ") : JSON.stringify(v),
          );
          out.write(`${n++ === 0 ? "[\n" : ",\n"}${pretty ? "  " : ""}${text}`);
        },
        end: async () => {
          out.write(n === 0 ? "[]\n" : "\n]\n");
        },
      };
    }
  }
}
