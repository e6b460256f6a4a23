import { lazyRequire } from "../platform/lazy-require.js";
import { escapeControls } from "../platform/terminal-text.js";
import { type Column, cellOf, flatten, parseColumn } from "./columns.js";
import type { OutStream } from "./stream.js";

// Tables for people: on a terminal, columns that fit its width (cells cut with "…", columns
// dropped from the right when even that is not enough; identifier columns are never cut or
// dropped, since what you see is what you type next), no rules between rows, times relative
// ("5m ago", "in 55m") unless wide; the KEY/VALUE view of one object is never cut; on a pipe,
// tab-separated full values (as gh does), so scripts can cut and awk them.

export interface TableOptions {
  /** Full values, nothing cut or made relative (-o wide). */
  wide: boolean;
  colour: boolean;
  now: number;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
// The last segment of a column's path that names an identifier: sid, id, userDn, client_id, auth_user...
const IDENTIFIER =
  /(^|[_-])(id|sid|dn|uuid|inum|jti|handle|key)$|(Id|Dn|Uuid|Handle|Sid)$|^(auth_?user|user(name)?|sub)$/i;

/** Whether a column holds identifiers (never cut: a person copies them into the next command). */
export function isIdentifierColumn(c: Column): boolean {
  return IDENTIFIER.test(c.path.split(".").at(-1) ?? "");
}
const GAP = 2;

/** "5m ago", "in 55m", "3d ago": the largest unit, as kubectl and gh print ages. */
export function relativeTime(ms: number, now: number): string {
  const d = Math.round((ms - now) / 1000);
  const a = Math.abs(d);
  const [n, u] =
    a < 60
      ? [a, "s"]
      : a < 3600
        ? [Math.floor(a / 60), "m"]
        : a < 86400
          ? [Math.floor(a / 3600), "h"]
          : [Math.floor(a / 86400), "d"];
  if (a < 1) return "now";
  return d < 0 ? `${n}${u} ago` : `in ${n}${u}`;
}

/** A header a person reads: a field name as words (raisedAt: RAISED AT), a given name as given. */
export function headerWords(c: Column): string {
  if (c.header !== c.path) return c.header;
  return c.header
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/[._-]+/g, " ")
    .trim();
}

/** A cell as shown: the value's text with every control character escaped. */
function text(v: unknown, opts: TableOptions, tty: boolean): string {
  return escapeControls(cellText(v, opts, tty));
}

function cellText(v: unknown, opts: TableOptions, tty: boolean): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>);
    if (!Array.isArray(v) && entries.every(([, x]) => typeof x !== "object"))
      return entries.map(([k, x]) => `${k}=${x}`).join(", ");
    return JSON.stringify(v);
  }
  const s = String(v).replace(/[\t\r\n]+/g, " ");
  if (!tty || opts.wide) return s;
  if (ISO.test(s) && Number.isFinite(Date.parse(s))) return relativeTime(Date.parse(s), opts.now);
  return s;
}

/** A cell cut to `w` columns, "…" marking the cut. */
export const cut = (s: string, w: number) => (s.length <= w ? s : w <= 1 ? "…" : `${s.slice(0, w - 1)}…`);

/**
 * Column widths that fit `width`, one per column, undefined for a column dropped: the widest
 * column that may be cut shrinks first (not below its header or 6); when even that is not enough
 * the last column that may go goes, and the rest start again. Columns marked `keep` are never cut
 * or dropped: when they alone are too wide, the terminal wraps them.
 */
export function fitWidths(
  natural: number[],
  headers: number[],
  width: number,
  keep: boolean[] = [],
): (number | undefined)[] {
  const total = (w: (number | undefined)[]) => {
    const shown = w.filter((x) => x !== undefined);
    return shown.reduce((a, b) => a + b, 0) + GAP * Math.max(0, shown.length - 1);
  };
  const shown = natural.map(() => true);
  for (;;) {
    const w = natural.map((n, i) => (shown[i] ? n : undefined));
    while (total(w) > width) {
      let widest = -1;
      for (let i = 0; i < w.length; i++)
        if (
          !keep[i] &&
          w[i] !== undefined &&
          w[i]! > Math.max(headers[i]!, 6) &&
          (widest < 0 || w[i]! > w[widest]!)
        )
          widest = i;
      if (widest < 0) break;
      w[widest]! -= 1;
    }
    const left = shown.filter(Boolean).length;
    const drop = shown.findLastIndex((s, i) => s && !keep[i]);
    if (total(w) <= width || drop < 0 || left === 1) return w;
    shown[drop] = false;
  }
}

function tsv(out: OutStream, cols: Column[], rows: string[][]): void {
  out.write(`${cols.map((c) => c.header).join("\t")}\n`);
  for (const r of rows) out.write(`${r.join("\t")}\n`);
}

function terminalTable(
  out: OutStream,
  cols: Column[],
  rows: string[][],
  opts: TableOptions & { fit: boolean },
): void {
  const allHeaders = cols.map((c) => headerWords(c).toUpperCase());
  const natural = allHeaders.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fitted =
    opts.wide || !opts.fit
      ? natural
      : fitWidths(
          natural,
          allHeaders.map((h) => h.length),
          out.columns ?? 80,
          cols.map(isIdentifierColumn),
        );
  const shown = fitted.flatMap((w, i) => (w === undefined ? [] : [i]));
  const widths = shown.map((i) => fitted[i]!);
  const headers = shown.map((i) => allHeaders[i]!);
  rows = rows.map((r) => shown.map((i) => r[i]!));
  const Table = lazyRequire("cli-table3") as typeof import("cli-table3");
  const blank = { top: "", "top-mid": "", "top-left": "", "top-right": "", bottom: "", "bottom-mid": "" };
  const table = new Table({
    // Bold by hand: cli-table3's colours decide for themselves (and turn off under CI=true).
    head: headers
      .slice(0, widths.length)
      .map((h, i) => (opts.colour ? `\u001b[1m${cut(h, widths[i]!)}\u001b[22m` : cut(h, widths[i]!))),
    chars: {
      ...blank,
      "bottom-left": "",
      "bottom-right": "",
      left: "",
      "left-mid": "",
      mid: "",
      "mid-mid": "",
      right: "",
      "right-mid": "",
      middle: " ".repeat(GAP),
    },
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
  });
  for (const r of rows) table.push(widths.map((w, i) => cut(r[i]!, w)));
  out.write(`${table.toString().replace(/[ \t]+$/gm, "")}\n`);
}

/** Rows of objects as a table; one object (not a list) as KEY/VALUE rows. */
export async function renderTable(
  items: unknown[],
  out: OutStream,
  columns: string[] | undefined,
  opts: TableOptions,
): Promise<void> {
  let rows = items;
  let cols: Column[];
  const single = items.length === 1 && !columns?.length && typeof items[0] === "object" && items[0] !== null;
  if (single) {
    rows = flatten(items[0]).map(([key, value]) => ({ key, value }));
    cols = [parseColumn("key"), parseColumn("value")];
  } else if (columns?.length) cols = columns.map(parseColumn);
  else {
    const keys = new Set(
      rows.flatMap((r) => (typeof r === "object" && r !== null ? Object.keys(r) : ["value"])),
    );
    cols = [...keys].map(parseColumn);
  }
  cols = cols.map((c) => ({ ...c, header: escapeControls(c.header) }));
  const tty = out.isTTY;
  const cells = rows.map((r) => cols.map((c) => text(cellOf(r, c), opts, tty)));
  if (!tty) return tsv(out, cols, cells);
  // The KEY/VALUE view of one object is never cut: long values wrap.
  terminalTable(out, cols, cells, { ...opts, fit: !single });
}
