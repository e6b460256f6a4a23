import { Spinner } from "@inkjs/ui";
import { Box, Text, useApp, useInput, useStdout } from "ink";
import { createElement as h, type ReactNode, useCallback, useEffect, useState } from "react";
import { flatten } from "../output/columns.js";
import { cut, fitWidths } from "../output/table.js";
import type { OperationModel } from "../spec/model.js";
import {
  describeError,
  EMPTY_FORM,
  FORM_FIELDS,
  OPERATIONS,
  type PageOf,
  pageFrom,
  pageSize,
  type SearchForm,
  type SessionRow,
  searchParams,
} from "./sessions.js";

// The Sessions screen: a search form, a table that fits the terminal, a details pane, Delete and
// revoke-the-user with a confirmation, paging, and a status line that reports and never crashes.

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
}

type Confirm = { kind: "delete"; row: SessionRow } | { kind: "revoke"; row: SessionRow };

const COLUMNS: readonly [keyof SessionRow, string][] = [
  ["sid", "SID"],
  ["user", "USER"],
  ["ip", "IP"],
  ["client", "CLIENT"],
  ["state", "STATE"],
  ["created", "CREATED"],
  ["expires", "EXPIRES"],
];

/** A table cell: cut as the CLI's tables cut, padded to its column. */
const cell = (s: string, w: number) => cut(s, w).padEnd(w);

function failure(r: CallOutcome): string {
  const e = (r.error ?? {}) as Record<string, unknown>;
  const detail = e.description ?? e.message ?? e.error_description ?? e.error;
  if (r.status === 404) return "not found: someone may have ended it meanwhile (r refreshes)";
  return `HTTP ${r.status}${typeof detail === "string" ? `: ${detail}` : ""}`;
}

function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const on = () => setSize(read());
    stdout.on("resize", on);
    return () => {
      stdout.off("resize", on);
    };
  });
  return size;
}

function Table(props: {
  rows: SessionRow[];
  selected: number;
  width: number;
  height: number;
  colour: boolean;
}): ReactNode {
  const cells = props.rows.map((r) =>
    COLUMNS.map(([k]) => (k === "sid" ? String(r[k]).slice(0, 8) : String(r[k]))),
  );
  const headers = COLUMNS.map(([, label]) => label);
  const natural = headers.map((label, i) => Math.max(label.length, ...cells.map((c) => c[i]!.length)));
  const widths = fitWidths(
    natural,
    headers.map((x) => x.length),
    props.width - 2,
  );
  const line = (values: string[]) =>
    widths.flatMap((w, i) => (w === undefined ? [] : [cell(values[i]!, w)])).join("  ");
  // A window of rows around the selection, when the page is taller than the screen.
  const first = Math.max(0, Math.min(props.selected - props.height + 1, props.rows.length - props.height));
  const visible = cells.slice(first, first + props.height);
  return h(
    Box,
    { flexDirection: "column" },
    h(Text, { bold: props.colour }, ` ${line(headers)}`),
    ...visible.map((c, i) =>
      h(
        Text,
        { key: `${first + i}`, inverse: first + i === props.selected },
        `${first + i === props.selected ? ">" : " "}${line(c)}`,
      ),
    ),
  );
}

function Details(props: { row: SessionRow; height: number }): ReactNode {
  const fields = flatten(props.row.raw).slice(0, props.height);
  const width = Math.max(...fields.map(([k]) => k.length));
  return h(
    Box,
    { flexDirection: "column", borderStyle: "single", paddingX: 1 },
    ...fields.map(([k, v]) =>
      h(
        Text,
        { key: k, wrap: "truncate" },
        `${k.padEnd(width)}  ${typeof v === "object" ? JSON.stringify(v) : String(v)}`,
      ),
    ),
  );
}

function Form(props: { form: SearchForm; field: number; colour: boolean }): ReactNode {
  return h(
    Box,
    { flexDirection: "column", borderStyle: "single", paddingX: 1 },
    h(Text, { bold: props.colour }, "Search (Tab/↑↓ move, Enter search, Esc back)"),
    ...FORM_FIELDS.map((f, i) =>
      h(
        Text,
        { key: f.key, inverse: i === props.field },
        `${f.label.padEnd(30)} ${props.form[f.key]}${i === props.field ? "▏" : ""}`,
      ),
    ),
  );
}

const HELP = [
  "/        edit the search form, Enter runs it",
  "↑ ↓ j k  select a session",
  "Enter    show or hide the session's details",
  "d Del    delete the selected session (asks first)",
  "u        revoke every session of the selected row's user (asks first)",
  "n p      next and previous page",
  "r        refresh",
  "?        this help",
  "q Ctrl-C quit",
];

function summary(form: SearchForm): string {
  const parts = FORM_FIELDS.filter((f) => f.key !== "pageSize" && form[f.key].trim() !== "").map(
    (f) => `${f.key}=${form[f.key].trim()}`,
  );
  return parts.length ? parts.join(" ") : "(all sessions)";
}

export function App({ api, now, colour }: AppProps): ReactNode {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [form, setForm] = useState<SearchForm>(EMPTY_FORM);
  const [editing, setEditing] = useState(false);
  const [field, setField] = useState(0);
  const [page, setPage] = useState<PageOf>({ rows: [], total: 0, start: 0 });
  const [selected, setSelected] = useState(0);
  const [details, setDetails] = useState(false);
  const [help, setHelp] = useState(false);
  const [confirm, setConfirm] = useState<Confirm | undefined>();
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const searchOp = api.operations.find((o) => o.id === OPERATIONS.search)!;

  const search = useCallback(
    async (start: number, f: SearchForm = form, keep = false) => {
      setBusy(true);
      try {
        const r = await api.call(OPERATIONS.search, searchParams(f, searchOp, start));
        if (!r.ok) setStatus(failure(r));
        else {
          const p = pageFrom(r.data, start, now());
          setPage(p);
          setSelected((s) => (keep ? Math.min(s, Math.max(0, p.rows.length - 1)) : 0));
          if (!keep) setStatus(`${p.total} session${p.total === 1 ? "" : "s"}`);
        }
      } catch (err) {
        setStatus(describeError(err));
      } finally {
        setBusy(false);
      }
    },
    [api, form, now, searchOp],
  );

  // The first page, once, on start (later searches come from keys).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, on mount
  useEffect(() => {
    void search(0);
  }, []);

  const act = async (c: Confirm) => {
    setConfirm(undefined);
    setBusy(true);
    try {
      const r =
        c.kind === "delete"
          ? await api.call(OPERATIONS.remove, { sid: c.row.sid })
          : await api.call(OPERATIONS.revoke, { userDn: c.row.userDn });
      setStatus(
        r.ok
          ? c.kind === "delete"
            ? `deleted session ${c.row.sid.slice(0, 8)} (${c.row.user || "no user"})`
            : `revoked every session of ${c.row.user || c.row.userDn}`
          : failure(r),
      );
    } catch (err) {
      setStatus(describeError(err));
    } finally {
      setBusy(false);
    }
    await search(page.start, form, true);
  };

  const current = page.rows[selected];
  const size = pageSize(form);

  useInput((input, key) => {
    if (confirm) {
      if (input === "y" || input === "Y") void act(confirm);
      else if (input === "n" || input === "N" || key.escape) {
        setConfirm(undefined);
        setStatus("cancelled");
      }
      return;
    }
    // Keys typed faster than they are read arrive together ("\tname"): a tab inside moves on.
    if (editing && input.length > 1 && input.includes("\t")) {
      input.split("\t").forEach((part, i) => {
        if (i > 0) setField((n) => (n + 1) % FORM_FIELDS.length);
        if (part)
          setField((n) => {
            const k = FORM_FIELDS[n]!.key;
            setForm((f) => ({ ...f, [k]: f[k] + part }));
            return n;
          });
      });
      return;
    }
    if (editing) {
      const k = FORM_FIELDS[field]!.key;
      if (key.escape) setEditing(false);
      else if (key.return) {
        setEditing(false);
        // The form as the last keystroke left it, even if it has not been rendered yet.
        setForm((f) => {
          void search(0, f);
          return f;
        });
      } else if (key.tab || key.downArrow)
        setField((field + (key.shift ? FORM_FIELDS.length - 1 : 1)) % FORM_FIELDS.length);
      else if (key.upArrow) setField((field + FORM_FIELDS.length - 1) % FORM_FIELDS.length);
      // Functional updates: keys typed faster than a render must not overwrite each other.
      else if (key.backspace || key.delete) setForm((f) => ({ ...f, [k]: f[k].slice(0, -1) }));
      else if (input && !key.ctrl && !key.meta) setForm((f) => ({ ...f, [k]: f[k] + input }));
      return;
    }
    if (help) {
      setHelp(false);
      return;
    }
    if (input === "q") exit();
    else if (input === "?") setHelp(true);
    else if (input === "/") setEditing(true);
    else if (key.downArrow || input === "j")
      setSelected(Math.min(selected + 1, Math.max(0, page.rows.length - 1)));
    else if (key.upArrow || input === "k") setSelected(Math.max(selected - 1, 0));
    else if (key.return) setDetails(!details);
    else if (input === "r") void search(page.start, form, true);
    else if (input === "n") {
      if (page.start + size < page.total) void search(page.start + size);
      else setStatus("last page");
    } else if (input === "p") {
      if (page.start > 0) void search(Math.max(0, page.start - size));
      else setStatus("first page");
    } else if ((input === "d" || key.delete) && current) setConfirm({ kind: "delete", row: current });
    else if (input === "u" && current) {
      if (current.userDn) setConfirm({ kind: "revoke", row: current });
      else setStatus("this session has no user to revoke");
    }
  });

  const body = rows - 6;
  const tableHeight = Math.max(1, (details && current ? Math.floor(body / 2) : body) - 1);
  const question = confirm
    ? confirm.kind === "delete"
      ? `Delete session ${confirm.row.sid} (${confirm.row.user || "no user"})? y/n`
      : `Revoke ALL sessions of ${confirm.row.user || confirm.row.userDn}? y/n`
    : "";
  const pageLine = page.total
    ? `${page.start + 1}-${page.start + page.rows.length} of ${page.total}`
    : "no sessions";
  return h(
    Box,
    { flexDirection: "column", width: columns },
    h(Text, { bold: colour, wrap: "truncate" }, `opcli tui · Sessions · ${api.host}`),
    h(Text, { wrap: "truncate" }, `Search: ${summary(form)}   ${pageLine}`),
    editing
      ? h(Form, { form, field, colour })
      : help
        ? h(
            Box,
            { flexDirection: "column", borderStyle: "single", paddingX: 1 },
            ...HELP.map((l) => h(Text, { key: l }, l)),
          )
        : h(Table, { rows: page.rows, selected, width: columns, height: tableHeight, colour }),
    !editing && !help && details && current
      ? h(Details, { row: current, height: Math.max(1, Math.floor(body / 2) - 2) })
      : null,
    confirm
      ? h(Text, { color: colour ? "yellow" : undefined, bold: true, wrap: "truncate" }, question)
      : busy
        ? h(Spinner, { label: "working…" })
        : h(
            Text,
            {
              color: colour && /HTTP|not |network|failed/.test(status) ? "red" : undefined,
              wrap: "truncate",
            },
            status || " ",
          ),
    h(
      Text,
      { dimColor: colour, wrap: "truncate" },
      // Shorter when narrow, so that "q quit" always shows.
      columns >= 96
        ? "/ search  ↑↓ select  ⏎ details  d delete  u revoke user  n/p page  r refresh  ? help  q quit"
        : "/ search  ↑↓ ⏎ details  d delete  u revoke user  n/p page  r  ? help  q quit",
    ),
  );
}
