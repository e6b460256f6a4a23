import { Box, Text } from "ink";
import { createElement as h, type ReactNode } from "react";
import { flatten } from "../output/columns.js";
import { str } from "./fields.js";
import type { Item, Screen } from "./screens.js";

// The describe view (k9s's `d`): full screen and scrollable; what an administrator needs first
// (who, from where, with what, which client, state, and the times), then every other field; or
// the raw JSON (`v`/`y`). Lines are wrapped here, so scrolling counts what the screen shows.

/** `text` in pieces of at most `width` columns, continuation lines indented by `indent`. */
export function wrap(text: string, width: number, indent = 0): string[] {
  const w = Math.max(8, width);
  if (text.length <= w) return [text];
  const out = [text.slice(0, w)];
  const pad = " ".repeat(Math.min(indent, w - 4));
  for (let i = w; i < text.length; i += w - pad.length) out.push(pad + text.slice(i, i + w - pad.length));
  return out;
}

/** Every line of the describe view (or of the raw JSON) at this width. */
export function describeLines(
  screen: Screen,
  item: Item,
  now: number,
  width: number,
  json: boolean,
): string[] {
  if (json)
    return JSON.stringify(item.raw, null, 2)
      .split("\n")
      .flatMap((l) => wrap(l, width, 2));
  const summary = screen.summary(item.raw, now);
  const rest = flatten(item.raw).map(([k, v]) => [k, str(v)] as [string, string]);
  const kw = Math.min(28, Math.max(...summary.map(([k]) => k.length), ...rest.map(([k]) => k.length)));
  const line = ([k, v]: [string, string]) => wrap(`${k.padEnd(kw)}  ${v || "—"}`, width, kw + 2);
  return [...summary.flatMap(line), "", "── every field ──", ...rest.flatMap(line)];
}

export function DescribeView(props: {
  title: string;
  lines: string[];
  top: number;
  height: number;
  colour: boolean;
}): ReactNode {
  const { lines, top, height } = props;
  const end = Math.min(lines.length, top + height);
  return h(
    Box,
    { flexDirection: "column" },
    h(
      Text,
      { bold: props.colour, wrap: "truncate" },
      `${props.title}   lines ${top + 1}-${end} of ${lines.length}`,
    ),
    ...lines.slice(top, end).map((l, i) => h(Text, { key: `${top + i}`, wrap: "truncate" }, l || " ")),
  );
}
