import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ROOT } from "./spawn-server.js";

// The curl examples of a seed document, read as a person would: each `$ curl ...` with the JSON
// printed under it (or in the code block that follows), plus any alternative answer shown next.

export interface CurlExample {
  /** The section heading it appears under. */
  section: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  data?: string;
  /** The documented answer (with "…" elisions removed), if the page shows one. */
  response?: unknown;
  /** A second answer the page shows for the same call (e.g. logout of an invalid token). */
  alternative?: unknown;
  /** The documented answer leaves fields out ("…"): it shows some keys, not all. */
  elided: boolean;
}

/** Splits a shell command line into words (single and double quotes, backslash-newlines). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === "\\" && text[i + 1] === "\n") {
      i++;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Documented JSON with its elisions ("…" lines, trailing commas) taken out. */
function documentedJson(text: string): unknown {
  const cleaned = text
    .split("\n")
    .filter((l) => l.trim() !== "…")
    .join("\n")
    .replace(/,(\s*[}\]])/g, "$1");
  return JSON.parse(cleaned);
}

function parseCurl(lines: string[]): Omit<CurlExample, "section"> & { rest: string } {
  const end = lines.findIndex((l) => /^'https?:\/\/.*'$/.test(l.trim()));
  const words = shellWords(lines.slice(0, end + 1).join("\n")).slice(2);
  const ex: Omit<CurlExample, "section"> = { method: "GET", url: "", headers: {}, elided: false };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "--request") ex.method = words[++i]!;
    else if (w === "--header") {
      const [name, ...value] = words[++i]!.split(":");
      ex.headers[name!.trim().toLowerCase()] = value.join(":").trim();
    } else if (w === "--data") ex.data = words[++i]!;
    else ex.url = w;
  }
  return {
    ...ex,
    rest: lines
      .slice(end + 1)
      .join("\n")
      .trim(),
  };
}

export function curlExamples(seed: string): CurlExample[] {
  const text = readFileSync(resolve(ROOT, "../shared/seeds", seed), "utf8");
  const out: CurlExample[] = [];
  let section = "";
  const blocks = text.split(/^```/m);
  for (let i = 1; i < blocks.length; i += 2) {
    section = [...blocks[i - 1]!.matchAll(/^#+ (.+)$/gm)].at(-1)?.[1] ?? section;
    const [lang = "", ...body] = blocks[i]!.split("\n");
    const last = out.at(-1);
    if (body[0]?.startsWith("$ curl")) {
      const { rest, ...ex } = parseCurl(body);
      out.push({
        section,
        ...ex,
        elided: /^\s*…\s*$/m.test(rest),
        ...(rest ? { response: documentedJson(rest) } : {}),
      });
    } else if (last && body.join("\n").trim().startsWith("{") && ["bash", "json"].includes(lang.trim())) {
      // A block of JSON right after a call: its answer, or an alternative one.
      if (last.response === undefined) last.response = documentedJson(body.join("\n"));
      else last.alternative = documentedJson(body.join("\n"));
    }
  }
  return out;
}

/** The shape of a JSON value: its keys (recursively) and the type of each leaf. */
export function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shapeOf(v[0])] : [];
  if (v !== null && typeof v === "object")
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, shapeOf(x)]),
    );
  return v === null ? "null" : typeof v;
}
