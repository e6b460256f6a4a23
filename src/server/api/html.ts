import type { Context } from "hono";
import { JANS_AUTH } from "./kit/mounts.js";

// Server-rendered pages: escaped text, our stylesheet (CSP allows no inline script or style).

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );

export const STYLESHEET = `${JANS_AUTH}/assets/style.css`;

export const CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;font:inherit;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1rem;font:inherit}.alert{color:#8a1c1c}dl{margin:1rem 0}dt{font-weight:600}
code{background:#f2f2f2;padding:0 .2rem}`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><link rel="stylesheet" href="${STYLESHEET}">
</head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function alert(message: string): string {
  return message ? `<p class="alert" role="alert">${escapeHtml(message)}</p>` : "";
}

export function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}

export function htmlPage(
  c: Context,
  title: string,
  body: string,
  status: 200 | 400 | 401 | 403 | 423 | 429 = 200,
) {
  return c.html(page(title, body), status);
}
