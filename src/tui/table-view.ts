import { Box, Text } from "ink";
import { createElement as h, type ReactNode } from "react";
import { columnWidths, fitCell, windowStart } from "./layout.js";
import type { Item, Screen, Sort } from "./screens.js";

// The table: headers (the sorted one with its arrow), a marker column (> selected, * marked),
// cells cut only as the layout decides.

export function TableView(props: {
  screen: Screen;
  items: Item[];
  selected: number;
  marks: ReadonlySet<string>;
  sort: Sort | undefined;
  now: number;
  width: number;
  height: number;
  colour: boolean;
}): ReactNode {
  const { screen, items, sort } = props;
  const headers = screen.columns.map(
    (c, i) => `${c.header}${sort?.column === i ? (sort.descending ? "↓" : "↑") : ""}`,
  );
  const cells = items.map((it) => screen.columns.map((c) => c.value(it.raw, props.now)));
  const natural = headers.map((x, i) => Math.max(x.length, ...cells.map((r) => r[i]!.length)));
  const widths = columnWidths(
    natural,
    headers.map((x) => x.length),
    screen.columns.map((c) => c.identifier ?? false),
    props.width - 2,
  );
  const line = (values: string[]) =>
    widths
      .map((w, i) => fitCell(values[i]!, w))
      .join("  ")
      .trimEnd();
  const first = windowStart(props.selected, props.height);
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, { bold: props.colour, wrap: "truncate" }, `  ${line(headers)}`),
    ...cells.slice(first, first + props.height).map((c, i) => {
      const n = first + i;
      const marked = props.marks.has(items[n]!.id);
      return h(
        Text,
        {
          key: items[n]!.id || String(n),
          inverse: n === props.selected,
          color: props.colour && marked ? "cyan" : undefined,
          wrap: "truncate",
        },
        `${n === props.selected ? ">" : " "}${marked ? "*" : " "}${line(c)}`,
      );
    }),
  );
}
