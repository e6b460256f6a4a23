import type { Key } from "ink";
import type { Screen } from "./screens.js";

// The one key table (as k9s's): it decides what a key does, and the hint line and the help
// screen are generated from it, so neither can drift from the keys. `changes` marks keys that
// change the server; --readonly hides them and refuses them.

export type Action =
  | "quit"
  | "help"
  | "filter"
  | "command"
  | "down"
  | "up"
  | "pageDown"
  | "pageUp"
  | "top"
  | "bottom"
  | "nextPage"
  | "prevPage"
  | "describe"
  | "json"
  | "back"
  | "mark"
  | "delete"
  | "revoke"
  | "refresh"
  | "live";

export type View = "table" | "describe";

export interface Binding {
  action: Action;
  /** The keys as the help and hint line name them. */
  keys: string;
  help: string;
  /** One word for the hint line; absent: help only. */
  hint?: string;
  changes?: boolean;
  views: readonly View[];
  match(input: string, key: Key): boolean;
}

const ch =
  (...cs: string[]) =>
  (input: string, key: Key) =>
    !key.ctrl && !key.meta && cs.includes(input);
const ctrl = (c: string) => (input: string, key: Key) => key.ctrl && input === c;
const BOTH: readonly View[] = ["table", "describe"];

export const KEYS: readonly Binding[] = [
  {
    action: "filter",
    keys: "/",
    help: "filter as you type (user=… ip=… client=… words)",
    hint: "filter",
    views: ["table"],
    match: ch("/"),
  },
  {
    action: "command",
    keys: ":",
    help: "command: a screen's name (:sessions), :q quits",
    hint: "cmd",
    views: ["table"],
    match: ch(":"),
  },
  {
    action: "describe",
    keys: "d ⏎",
    help: "describe the selected row (full screen, scrolls)",
    hint: "describe",
    views: ["table"],
    match: (i, k) => k.return || ch("d")(i, k),
  },
  {
    action: "delete",
    keys: "Ctrl-d",
    help: "delete the marked rows, or the selected one (asks, with the count)",
    hint: "delete",
    changes: true,
    views: BOTH,
    match: ctrl("d"),
  },
  {
    action: "mark",
    keys: "Space",
    help: "mark or unmark the row (a delete takes every marked row)",
    hint: "mark",
    changes: true,
    views: ["table"],
    match: ch(" "),
  },
  {
    action: "revoke",
    keys: "u",
    help: "end every session of the selected row's user (asks, with the count)",
    hint: "revoke user",
    changes: true,
    views: BOTH,
    match: ch("u"),
  },
  {
    action: "json",
    keys: "v y",
    help: "the raw JSON of the selected row",
    hint: "json",
    views: BOTH,
    match: ch("v", "y"),
  },
  {
    action: "down",
    keys: "↓ j",
    help: "next row / scroll down",
    views: BOTH,
    match: (i, k) => k.downArrow || ch("j")(i, k),
  },
  {
    action: "up",
    keys: "↑ k",
    help: "previous row / scroll up",
    views: BOTH,
    match: (i, k) => k.upArrow || ch("k")(i, k),
  },
  {
    action: "pageDown",
    keys: "PgDn Ctrl-f",
    help: "a screenful down",
    views: BOTH,
    match: (i, k) => k.pageDown || ctrl("f")(i, k),
  },
  {
    action: "pageUp",
    keys: "PgUp Ctrl-b",
    help: "a screenful up",
    views: BOTH,
    match: (i, k) => k.pageUp || ctrl("b")(i, k),
  },
  {
    action: "top",
    keys: "g Home",
    help: "first row / top",
    views: BOTH,
    match: (i, k) => k.home || ch("g")(i, k),
  },
  {
    action: "bottom",
    keys: "G End",
    help: "last row / bottom",
    views: BOTH,
    match: (i, k) => k.end || ch("G")(i, k),
  },
  {
    action: "nextPage",
    keys: "n ]",
    help: "next page from the server",
    hint: "page",
    views: ["table"],
    match: ch("n", "]"),
  },
  {
    action: "prevPage",
    keys: "p [",
    help: "previous page from the server",
    views: ["table"],
    match: ch("p", "["),
  },
  { action: "refresh", keys: "r", help: "refresh now", views: ["table"], match: ch("r") },
  {
    action: "live",
    keys: "Ctrl-r",
    help: "pause or resume the live refresh (every 5 s)",
    hint: "live",
    views: ["table"],
    match: ctrl("r"),
  },
  {
    action: "back",
    keys: "Esc q",
    help: "back to the table",
    hint: "back",
    views: ["describe"],
    match: (i, k) => k.escape || ch("q")(i, k),
  },
  { action: "help", keys: "?", help: "this help", hint: "help", views: BOTH, match: ch("?") },
  {
    action: "quit",
    keys: "q Ctrl-c",
    help: "quit (the terminal comes back as it was)",
    hint: "quit",
    views: ["table"],
    match: ch("q"),
  },
];

/** The action a key does in a view, or undefined (refused changing keys included, see `refused`). */
export function actionFor(view: View, input: string, key: Key, readonly: boolean): Action | undefined {
  const b = KEYS.find((k) => k.views.includes(view) && k.match(input, key));
  return b && !(readonly && b.changes) ? b.action : undefined;
}

/** A changing key pressed in read-only mode (the screen says why nothing happened). */
export function refused(view: View, input: string, key: Key, readonly: boolean): Binding | undefined {
  const b = KEYS.find((k) => k.views.includes(view) && k.match(input, key));
  return readonly && b?.changes ? b : undefined;
}

const offered = (b: Binding, screen: Screen, readonly: boolean) =>
  !(b.changes && (readonly || !screen.remove)) && !(b.action === "revoke" && !screen.revoke);

/** The hint line for a view: "<keys> <word>" pairs, as many as fit, quit and help kept. */
export function hintLine(view: View, screen: Screen, readonly: boolean, width: number): string {
  const all = KEYS.filter((b) => b.hint && b.views.includes(view) && offered(b, screen, readonly)).map(
    (b) => `<${b.keys.split(" ")[0]}> ${b.hint}`,
  );
  const sort = view === "table" && screen.columns.some((c) => c.letter) ? ["<A-Z> sort"] : [];
  const must = all.filter((h) => /quit|help|back/.test(h));
  const rest = all.filter((h) => !must.includes(h));
  // Sorting is named right after the keys a person needs most.
  rest.splice(Math.min(rest.length, 4), 0, ...sort);
  const out: string[] = [];
  for (const h of rest) if ([...out, h, ...must].join("  ").length <= width) out.push(h);
  return [...out, ...must].join("  ");
}

/** The help screen: every key of the table, then this screen's sort letters. */
export function helpLines(screen: Screen, readonly: boolean): string[] {
  const shown = KEYS.filter((b) => offered(b, screen, readonly));
  const w = Math.max(...shown.map((b) => b.keys.length));
  const sorts = screen.columns
    .filter((c) => c.letter)
    .map((c) => `Shift-${c.letter!.padEnd(w - 6)}  sort by ${c.header.toLowerCase()} (again: reverse)`);
  return [
    ...shown.map((b) => `${b.keys.padEnd(w)}  ${b.help}${b.views.includes("table") ? "" : " (describe)"}`),
    ...sorts,
    ...(readonly ? ["read-only: keys that change the server are off (--readonly)"] : []),
  ];
}
