// The table laid out from the terminal: rows from its height, column widths from its width.

/** Lines around the table: title, filter/info line, header, flash, hints, and one spare (ink
 * redraws the whole screen when a frame is as tall as the terminal). */
export const CHROME = 6;

/** How many rows a page has at this terminal height. */
export const pageRows = (height: number): number => Math.max(1, height - CHROME);

export const GAP = 2;

/**
 * Column widths for `width` (the row marker excluded): every column at its natural width when
 * they fit (columns are never padded past their values). Otherwise other columns shrink first
 * (widest first, to their header or 6); then trailing columns are left off rather than cut an
 * identifier; only when even the first column cannot fit whole do identifiers shrink too.
 */
export function columnWidths(
  natural: readonly number[],
  headers: readonly number[],
  identifier: readonly boolean[],
  width: number,
): number[] {
  for (const cutIds of [false, true])
    for (let n = natural.length; n >= 1; n--) {
      const w = shrink(natural.slice(0, n), headers, identifier, width, cutIds);
      if (total(w) <= width) return w;
    }
  return shrink(natural.slice(0, 1), headers, identifier, width, true).map((x) => Math.min(x, width));
}

const total = (w: number[]) => w.reduce((a, b) => a + b, 0) + GAP * Math.max(0, w.length - 1);

function shrink(
  w: number[],
  headers: readonly number[],
  identifier: readonly boolean[],
  width: number,
  cutIds: boolean,
) {
  for (const ids of cutIds ? [false, true] : [false])
    while (total(w) > width) {
      let widest = -1;
      for (let i = 0; i < w.length; i++) {
        const floor = Math.max(headers[i]!, 6);
        if ((identifier[i] ?? false) === ids && w[i]! > floor && (widest < 0 || w[i]! > w[widest]!))
          widest = i;
      }
      if (widest < 0) break;
      w[widest]! -= 1;
    }
  return w;
}

/** A cell cut to `w` columns ("…" marks the cut), padded to it. */
export const fitCell = (s: string, w: number): string =>
  (s.length <= w ? s : w <= 1 ? "…" : `${s.slice(0, w - 1)}…`).padEnd(w);

/** The first row of the window that keeps `selected` visible in `height` rows. */
export const windowStart = (selected: number, height: number): number => Math.max(0, selected - height + 1);
