import { describe, expect, it } from "vitest";
import { type LiteFetch, LiteHeaders, LiteResponse } from "../../src/http/lite.js";
import { escapeControls, safeJson } from "../../src/platform/terminal-text.js";
import { runInProcess, testEnv } from "../helpers/cli-io.js";

// A hostile server's words reach no terminal as commands: clear screen, window title, OSC 52
// clipboard writes, the 8-bit CSI (U+009B) and bidi overrides are shown escaped in every
// human-readable output and error line; JSON escapes C1 and bidi as well as C0.

const EVIL = "a\u001b]0;pwned\u0007b\u001b]52;c;ZXZpbA==\u0007c\u009b2Jd\u202ee\u001b[2Jf\u0085g";
/** A character that drives a terminal: C0 but tab and newline, DEL, C1, bidi controls. */
function controlIn(s: string): string | undefined {
  return [...s].find((c) => {
    const n = c.codePointAt(0)!;
    if (n < 0x20) return n !== 0x09 && n !== 0x0a;
    return (
      (n >= 0x7f && n <= 0x9f) ||
      [0x61c, 0x200e, 0x200f].includes(n) ||
      (n >= 0x202a && n <= 0x202e) ||
      (n >= 0x2066 && n <= 0x2069)
    );
  });
}

function hostile(status: number, body: string, type = "application/json"): LiteFetch {
  return async (req) =>
    new LiteResponse(
      Buffer.from(body),
      status,
      status === 200 ? "OK" : "Not Found",
      new LiteHeaders({ "content-type": type }),
      req.url,
    );
}

const session = { sessionAttributes: { sid: "s1", auth_user: EVIL }, state: EVIL, [EVIL]: "key" };
const page = JSON.stringify({ start: 0, totalEntriesCount: 1, entriesCount: 1, entries: [session] });
const env = () => testEnv({ OPCLI_HOST: "http://evil.test", OPCLI_ACCESS_TOKEN: "t" });

async function run(argv: string[], transport: LiteFetch, tty = true) {
  return runInProcess(argv, { env: env(), transport, stdoutTTY: tty, stderrTTY: tty });
}

describe("terminal safety", () => {
  it.each([
    ["table", ["--operation-id", "get-sessions", "-o", "table"], hostile(200, page)],
    ["wide", ["--operation-id", "get-sessions", "-o", "wide"], hostile(200, page)],
    [
      "KEY/VALUE",
      ["--operation-id", "get-session-by-id", "--url-suffix", "sid:s1", "-o", "table"],
      hostile(200, JSON.stringify(session)),
    ],
    ["raw text", ["--operation-id", "get-sessions", "-o", "raw"], hostile(200, EVIL, "text/plain")],
    [
      "raw JSON",
      ["--operation-id", "get-sessions", "-o", "raw", "--query", "entries[0].state"],
      hostile(200, page),
    ],
    [
      "paged footer",
      ["--operation-id", "get-sessions", "-o", "table"],
      hostile(200, JSON.stringify({ start: EVIL, totalEntriesCount: EVIL, entriesCount: 1, entries: [] })),
    ],
    ["yaml", ["--operation-id", "get-sessions", "-o", "yaml"], hostile(200, page)],
    ["json", ["--operation-id", "get-sessions", "-o", "json"], hostile(200, page)],
    ["ndjson", ["--operation-id", "get-sessions", "-o", "ndjson"], hostile(200, page)],
    ["error line", ["--operation-id", "get-sessions"], hostile(404, JSON.stringify({ description: EVIL }))],
    ["error body", ["--operation-id", "get-sessions"], hostile(404, EVIL, "text/plain")],
    ["--debug", ["--operation-id", "get-sessions", "--debug"], hostile(404, EVIL, "text/plain")],
  ])("%s: no control character reaches the terminal", async (_name, argv, transport) => {
    const r = await run(argv, transport);
    expect(controlIn(`${r.stdout}${r.stderr}`)).toBeUndefined();
    // The text is shown, escaped, not dropped.
    expect(`${r.stdout}${r.stderr}`).toMatch(/\\(x1b|u001b|e)/);
  });

  it("JSON on a pipe is still the same value, with C1 and bidi written as \\u escapes", async () => {
    const r = await run(["--operation-id", "get-sessions"], hostile(200, page), false);
    expect(controlIn(r.stdout)).toBeUndefined();
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(page));
  });

  it("raw on a pipe is as it came (scripts get the bytes)", async () => {
    const r = await run(
      ["--operation-id", "get-sessions", "-o", "raw"],
      hostile(200, EVIL, "text/plain"),
      false,
    );
    expect(r.stdout).toBe(`${EVIL}\n`);
  });

  it.each([
    ["\u001b[2J", "\\x1b[2J"],
    ["\u009b", "\\x9b"],
    ["\u202e", "\\u202e"],
    ["a\tb\nc", "a\\x09b\\x0ac"],
    ["plain é ü 日本", "plain é ü 日本"],
  ])("escapeControls(%j) is %j", (input, shown) => {
    expect(escapeControls(input)).toBe(shown);
  });

  it("escapeControls keeps lines and CRLF but not a lone CR", () => {
    expect(escapeControls("a\r\nb\tc\rd", true)).toBe("a\nb\tc\\x0dd");
  });

  it("safeJson keeps the value", () => {
    const v = { k: EVIL };
    expect(JSON.parse(safeJson(JSON.stringify(v)))).toEqual(v);
    expect(controlIn(safeJson(JSON.stringify(v)))).toBeUndefined();
  });
});
