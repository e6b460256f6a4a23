import { Box, type Key, Text, useApp, useInput } from "ink";
import { createElement as h, type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import type { OperationModel } from "../spec/model.js";
import { DescribeView, describeLines } from "./describe.js";
import { describeError } from "./describe-error.js";
import { matches } from "./filter.js";
import { type FlashKind, useFlash, useInterval, useSyncState, useTerminalSize } from "./hooks.js";
import { editText } from "./input.js";
import { type Action, actionFor, helpLines, hintLine, refused } from "./keys.js";
import { pageRows } from "./layout.js";
import { type Item, type Screen, type Sort, screensFor } from "./screens.js";
import { TableView } from "./table-view.js";

// The screen, k9s-like: a table that fills the terminal and refreshes itself, `/` filter, `:`
// screens, Shift+letter sort, Space marks, describe (d/Enter) and JSON (v/y), Ctrl-d delete and u
// revoke-the-user with one confirmation that counts, flashes that clear, --readonly.

export interface CallOutcome {
  ok: boolean;
  status: number;
  data?: unknown;
  error?: unknown;
}

/** What the screen needs of the client: its document's operations, and calls by operation ID. */
export interface TuiApi {
  operations: readonly OperationModel[];
  host: string;
  call(operationId: string, params: Record<string, string>): Promise<CallOutcome>;
}

export interface AppProps {
  api: TuiApi;
  now(): number;
  colour: boolean;
  /** Hide and refuse every key that changes the server. */
  readonly?: boolean;
  /** The live refresh's period (ms). */
  refreshMs?: number;
}

type Prompt = { kind: "filter" | "command"; text: string };
type Confirm = { question: string; run(): Promise<void> };
type Mode = "table" | "describe" | "help";

export function failure(r: CallOutcome): string {
  const e = (r.error ?? {}) as Record<string, unknown>;
  const detail = e.description ?? e.message ?? e.error_description ?? e.error;
  if (r.status === 404) return "not found: someone may have ended it meanwhile (r refreshes)";
  return `HTTP ${r.status}${typeof detail === "string" ? `: ${detail}` : ""}`;
}

const plural = (n: number, [one, many]: [string, string]) => `${n} ${n === 1 ? one : many}`;

/** "alice, bob and 3 more" (each name once). */
function names(screen: Screen, items: Item[]): string {
  const all = [...new Set(items.map((i) => screen.who(i)))];
  return all.length <= 3 ? all.join(", ") : `${all.slice(0, 3).join(", ")} and ${all.length - 3} more`;
}

function compare(screen: Screen, sort: Sort) {
  const c = screen.columns[sort.column]!;
  const v = (i: Item) => (c.sortValue ? c.sortValue(i.raw) : c.value(i.raw, 0));
  return (a: Item, b: Item) => {
    const x = v(a);
    const y = v(b);
    const d = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return sort.descending ? -d : d;
  };
}

export function App({ api, now, colour, readonly = false, refreshMs = 5000 }: AppProps): ReactNode {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const screens = useMemo(() => screensFor(api.operations), [api]);
  const [screenIx, setScreenIx] = useState(0);
  const screen = screens[screenIx]!;
  const [filter, setFilter] = useState("");
  const [prompt, setPrompt, promptNow] = useSyncState<Prompt | undefined>(undefined);
  const [sort, setSort] = useState<Sort | undefined>();
  const [start, setStart] = useState(0);
  const [page, setPage] = useState<{ items: Item[]; total: number; start: number }>({
    items: [],
    total: 0,
    start: 0,
  });
  const [sel, setSel, selNow] = useSyncState(0);
  const selId = useRef<string | undefined>(undefined);
  const [marks, setMarks] = useState<ReadonlyMap<string, Item>>(new Map());
  const [mode, setMode, modeNow] = useSyncState<Mode>("table");
  const [describing, setDescribing] = useState<Item | undefined>();
  const [json, setJson, jsonNow] = useSyncState(false);
  const [scroll, setScroll, scrollNow] = useSyncState(0);
  const [confirm, setConfirm, confirmNow] = useSyncState<Confirm | undefined>(undefined);
  const [flash, show, loaded] = useFlash();
  const [live, setLive] = useState(true);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const [clock, setClock] = useState(now);
  const limit = pageRows(rows);
  const serverFilter = screen.serverFilter ? filter : "";

  // One load per change of what is shown; an older answer never overwrites a newer one.
  const seq = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload is the refresh trigger
  useEffect(() => {
    const n = ++seq.current;
    const { op, params } = screen.list({ filter: serverFilter, sort, start, limit });
    setBusy(true);
    api
      .call(op, params)
      .then(
        (r) => {
          if (n !== seq.current) return;
          if (!r.ok) return show(failure(r), "loadError");
          const p = screen.page(r.data);
          setPage({ ...p, start });
          setClock(now());
          loaded();
          setSel((s) => {
            const i = p.items.findIndex((it) => it.id === selId.current);
            return i >= 0 ? i : Math.min(s, Math.max(0, p.items.length - 1));
          });
          setDescribing((d) => (d ? (p.items.find((it) => it.id === d.id) ?? d) : d));
        },
        (err: unknown) => {
          if (n === seq.current) show(describeError(err), "loadError");
        },
      )
      .finally(() => {
        if (n === seq.current) setBusy(false);
      });
  }, [api, screen, serverFilter, sort, start, limit, reload]);

  // The filter applies as it is typed (a server search waits for a pause in the typing).
  useEffect(() => {
    if (prompt?.kind !== "filter") return;
    const t = setTimeout(
      () => {
        setFilter(prompt.text);
        if (screen.serverFilter && prompt.text !== filter) setStart(0);
      },
      screen.serverFilter ? 150 : 0,
    );
    return () => clearTimeout(t);
  }, [prompt, screen, filter]);

  useInterval(() => setReload((x) => x + 1), refreshMs, live && !confirm && mode !== "help");

  const items = useMemo(() => {
    let xs = page.items;
    if (!screen.serverFilter && filter.trim())
      xs = xs.filter((it) =>
        matches(
          screen.columns.map((c) => c.value(it.raw, clock)),
          filter,
        ),
      );
    return sort ? [...xs].sort(compare(screen, sort)) : xs;
  }, [page, screen, filter, sort, clock]);
  const current = items[Math.min(sel, items.length - 1)];
  // What the keys act on: the row selected now, even if the screen has not been drawn since.
  const currentNow = () => items[Math.min(selNow.current, items.length - 1)];
  selId.current = current?.id;

  const remove = async (targets: Item[]) => {
    const change = screen.remove!;
    setBusy(true);
    const failed: string[] = [];
    const done = new Set<string>();
    for (const t of targets) {
      try {
        const r = await api.call(change.op, change.params(t));
        if (r.ok) done.add(t.id);
        else failed.push(failure(r));
      } catch (err) {
        failed.push(describeError(err));
      }
    }
    setMarks((m) => new Map([...m].filter(([id]) => !done.has(id))));
    const what = plural(targets.length, screen.noun);
    const one = targets.length === 1 ? ` ${targets[0]!.id.slice(0, 8)}` : "";
    if (!failed.length) show(`deleted ${what}${one} (${names(screen, targets)})`);
    else
      show(
        `deleted ${done.size} of ${what}; ${failed.length} failed: ${failed[0]}`,
        "error" satisfies FlashKind,
      );
    setBusy(false);
    setReload((x) => x + 1);
  };

  const askDelete = (inDescribe: boolean) => {
    const current = currentNow();
    const targets =
      !inDescribe && marks.size
        ? [...marks.values()]
        : current
          ? [inDescribe ? (describing ?? current) : current]
          : [];
    if (!screen.remove || !targets.length) return;
    const n = targets.length;
    const question =
      n === 1
        ? `Delete 1 ${screen.noun[0]}: ${targets[0]!.id} (${screen.who(targets[0]!)})? y/n`
        : `Delete ${n} ${screen.noun[1]}: ${names(screen, targets)}? y/n`;
    setConfirm({
      question,
      run: async () => {
        setMode("table");
        await remove(targets);
      },
    });
  };

  const askRevoke = async (item: Item | undefined) => {
    const revoke = screen.revoke;
    if (!revoke || !item) return;
    const params = revoke.params(item);
    if (Object.values(params).some((v) => v === ""))
      return show(`this ${screen.noun[0]} has no user to revoke`, "error");
    const who = screen.who(item);
    let count: number | undefined;
    if (revoke.count) {
      const c = revoke.count(item);
      const r = await api.call(c.op, c.params).catch(() => undefined);
      if (r?.ok) count = screen.page(r.data).total;
    }
    const many = count === undefined ? `ALL ${screen.noun[1]}` : `ALL ${plural(count, screen.noun)}`;
    setConfirm({
      question: `Revoke ${many} of ${who}? y/n`,
      run: async () => {
        setMode("table");
        setBusy(true);
        try {
          const r = await api.call(revoke.op, params);
          const ended = (r.data as { terminated?: unknown } | undefined)?.terminated;
          const n = typeof ended === "number" ? ended : count;
          if (r.ok)
            show(`revoked ${n === undefined ? `every ${screen.noun[0]}` : plural(n, screen.noun)} of ${who}`);
          else show(failure(r), "error");
        } catch (err) {
          show(describeError(err), "error");
        }
        setBusy(false);
        setReload((x) => x + 1);
      },
    });
  };

  const runCommand = (text: string) => {
    const cmd = text.trim().toLowerCase();
    setPrompt(undefined);
    if (cmd === "") return;
    if (["q", "q!", "quit", "qa"].includes(cmd)) return exit();
    const i = screens.findIndex((s) => s.name.startsWith(cmd) || cmd.startsWith(s.noun[0]));
    if (i < 0)
      return show(
        `no screen "${cmd}": this document has ${screens.map((s) => `:${s.name}`).join(" ")}`,
        "error",
      );
    setScreenIx(i);
    // The old screen's rows never show under the new screen's columns while it loads.
    if (i !== screenIx) setPage({ items: [], total: 0, start: 0 });
    setFilter("");
    setSort(undefined);
    setStart(0);
    setSel(0);
    setMarks(new Map());
    setMode("table");
  };

  const submit = (p: Prompt) => {
    if (p.kind === "command") return runCommand(p.text);
    setFilter(p.text);
    setPrompt(undefined);
  };

  const onPrompt = (p: Prompt, input: string, key: Key) => {
    // Text and Enter that arrive together (typed ahead, pasted) are the text, then Enter.
    const enter = /[\r\n]/.exec(input);
    if (key.escape) {
      if (p.kind === "filter") {
        setFilter("");
        setStart(0);
      }
      setPrompt(undefined);
    } else if (key.return) submit(p);
    else if (enter && input.length > 1)
      submit({ ...p, text: editText(p.text, input.slice(0, enter.index), key) });
    else if (key.tab && p.kind === "command") {
      const s = screens.find((x) => x.name.startsWith(p.text.trim()));
      if (s) setPrompt({ kind: "command", text: s.name });
    } else setPrompt((q) => q && { ...q, text: editText(q.text, input, key) });
  };

  const describeHeight = Math.max(1, rows - 5);
  const lines =
    mode === "help"
      ? helpLines(screen, readonly)
      : describing
        ? describeLines(screen, describing, clock, columns - 1, json)
        : [];
  const scrollTo = (n: number) => setScroll(Math.max(0, Math.min(n, lines.length - describeHeight)));
  const move = (n: number) => setSel(Math.max(0, Math.min(n, items.length - 1)));

  const perform = (action: Action, view: "table" | "describe") => {
    const d = view === "describe";
    const current = currentNow();
    const by = (n: number) => (d ? scrollTo(scrollNow.current + n) : move(selNow.current + n));
    switch (action) {
      case "quit":
        return exit();
      case "help":
        setScroll(0);
        return setMode("help");
      case "filter":
        return setPrompt({ kind: "filter", text: filter });
      case "command":
        return setPrompt({ kind: "command", text: "" });
      case "down":
        return by(1);
      case "up":
        return by(-1);
      case "pageDown":
        return by(d ? describeHeight : limit);
      case "pageUp":
        return by(d ? -describeHeight : -limit);
      case "top":
        return d ? scrollTo(0) : move(0);
      case "bottom":
        return d ? scrollTo(lines.length) : move(items.length - 1);
      case "nextPage":
        if (page.start + limit < page.total) return setStart(page.start + limit);
        return show("last page");
      case "prevPage":
        if (page.start > 0) return setStart(Math.max(0, page.start - limit));
        return show("first page");
      case "describe":
      case "json":
        if (!current) return;
        setDescribing(d ? describing : current);
        setJson(action === "json" && !(d && jsonNow.current));
        setScroll(0);
        return setMode("describe");
      case "back":
        return setMode("table");
      case "mark":
        if (!current) return;
        setMarks((m) => {
          const next = new Map(m);
          if (next.has(current.id)) next.delete(current.id);
          else next.set(current.id, current);
          return next;
        });
        return move(selNow.current + 1);
      case "delete":
        return askDelete(d);
      case "revoke":
        return void askRevoke(d ? describing : current);
      case "refresh":
        return setReload((x) => x + 1);
      case "live":
        show(live ? "live refresh paused (Ctrl-r resumes)" : `live refresh every ${refreshMs / 1000} s`);
        return setLive(!live);
    }
  };

  // ink subscribes a new handler only in an effect after the render: a key typed just after a
  // render would reach the previous render's closures (the table's lines, not the describe view's).
  const latest = useRef(onInput);
  latest.current = onInput;
  useInput((input, key) => latest.current(input, key));

  // Keys that arrive in one read outside a text line ("/alice", "jjj") are handled one by one.
  function onInput(input: string, key: Key) {
    if (promptNow.current || input.length < 2 || key.ctrl || key.meta) return handle(input, key);
    for (const ch of input)
      handle(ch, {
        ...key,
        shift: /[A-Z]/.test(ch),
        return: ch === "\r",
        tab: ch === "\t",
        escape: ch === "\x1b",
      });
  }

  function handle(input: string, key: Key) {
    const confirm = confirmNow.current;
    const prompt = promptNow.current;
    const mode = modeNow.current;
    if (confirm) {
      if (input === "y" || input === "Y") {
        setConfirm(undefined);
        void confirm.run();
      } else if (input === "n" || input === "N" || key.escape) {
        setConfirm(undefined);
        show("cancelled");
      }
      return;
    }
    if (prompt) return onPrompt(prompt, input, key);
    // The help scrolls with the describe view's keys; any other key returns.
    if (mode === "help") {
      const a = actionFor("describe", input, key, true);
      if (a && ["down", "up", "pageDown", "pageUp", "top", "bottom"].includes(a))
        return perform(a, "describe");
      return setMode("table");
    }
    const view = mode === "describe" ? "describe" : "table";
    const no = refused(view, input, key, readonly);
    if (no)
      return show(
        `read-only: ${no.keys} (${no.hint ?? no.action}) is off (started with --readonly)`,
        "error",
      );
    const action = actionFor(view, input, key, readonly);
    if (action) return perform(action, view);
    const column = screen.columns.findIndex((c) => c.letter === input);
    if (view === "table" && column >= 0 && /^[A-Z]$/.test(input))
      setSort((s) => ({ column, descending: s?.column === column ? !s.descending : false }));
  }

  const pageLine = page.total
    ? `${page.start + 1}-${page.start + page.items.length} of ${page.total}`
    : `no ${screen.noun[1]}`;
  const info = prompt
    ? `${prompt.kind === "filter" ? "/" : ":"}${prompt.text}▏`
    : [
        `Filter: ${filter.trim() || `(all ${screen.noun[1]})`}`,
        pageLine,
        ...(sort
          ? [`sort ${screen.columns[sort.column]!.header.toLowerCase()} ${sort.descending ? "↓" : "↑"}`]
          : []),
        ...(marks.size ? [`${marks.size} marked`] : []),
      ].join("   ");
  const title = [
    "opcli tui",
    screen.name[0]!.toUpperCase() + screen.name.slice(1),
    api.host,
    ...(readonly ? ["read-only"] : []),
    live ? `live ${refreshMs / 1000}s` : "paused",
  ].join(" · ");
  const view = mode === "describe" ? "describe" : "table";
  const body =
    mode === "help"
      ? h(DescribeView, {
          title: "Keys (↑↓ scroll, any other key returns)",
          lines,
          top: scroll,
          height: describeHeight,
          colour,
        })
      : mode === "describe" && describing
        ? h(DescribeView, {
            title: `Describe ${screen.noun[0]} ${describing.id}${json ? " (JSON)" : ""}`,
            lines,
            top: Math.min(scroll, Math.max(0, lines.length - describeHeight)),
            height: describeHeight,
            colour,
          })
        : h(TableView, {
            screen,
            items,
            selected: sel,
            marks: new Set(marks.keys()),
            sort,
            now: clock,
            width: columns,
            height: limit,
            colour,
          });
  const statusLine = confirm
    ? h(Text, { color: colour ? "yellow" : undefined, bold: true, wrap: "truncate" }, confirm.question)
    : h(
        Text,
        { color: colour && flash && flash.kind !== "info" ? "red" : undefined, wrap: "truncate" },
        flash?.text ?? (busy && !page.items.length ? "loading…" : " "),
      );
  return h(
    Box,
    { flexDirection: "column", width: columns },
    h(Text, { bold: colour, wrap: "truncate" }, title),
    mode === "table" ? h(Text, { wrap: "truncate" }, info) : null,
    body,
    statusLine,
    h(Text, { dimColor: colour, wrap: "truncate" }, hintLine(view, screen, readonly, columns - 1)),
  );
}
