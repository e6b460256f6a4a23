import { escapeControls } from "../platform/terminal-text.js";
import type { LiteFetch } from "./lite.js";
import { redactBody, redactHeader } from "./redact.js";

const MAX_BODY = 4000;

function bodyText(b: string | Uint8Array | undefined): string {
  if (b === undefined) return "";
  const s = typeof b === "string" ? b : Buffer.from(b).toString("utf8");
  return s.length > MAX_BODY ? `${s.slice(0, MAX_BODY)}... (${s.length} chars)` : s;
}

/** Wraps a transport to print each request and response on stderr, credentials redacted. */
export function debugFetch(
  fetch: LiteFetch,
  write: (s: string) => void,
  now: () => number = Date.now,
): LiteFetch {
  return async (req) => {
    const lines = [`> ${req.method} ${redactBody(req.url)}`];
    for (const [k, v] of req.headers.entries()) lines.push(`> ${k}: ${redactHeader(k, v)}`);
    const reqBody = bodyText(req.body);
    if (reqBody) lines.push(`> ${redactBody(reqBody)}`);
    write(`${escapeControls(lines.join("\n"), true)}\n`);
    const started = now();
    const res = await fetch(req);
    const out = [`< ${res.status} ${res.statusText} (${now() - started} ms)`];
    for (const [k, v] of res.headers.entries()) out.push(`< ${k}: ${redactHeader(k, v)}`);
    const resBody = bodyText(await res.text());
    if (resBody) out.push(`< ${redactBody(resBody)}`);
    write(`${escapeControls(out.join("\n"), true)}\n`);
    return res;
  };
}
