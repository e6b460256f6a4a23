import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { JANS_AUTH } from "./kit/mounts.js";
import { htmlResponse } from "./middleware/security-headers.js";

// The end user's pages (sign-in, device approval, sign-out), on the same stack as the admin
// console: hono/jsx, which escapes every value it is given; our stylesheet (the CSP allows no
// inline script or style).

export const STYLESHEET = `${JANS_AUTH}/assets/style.css`;

export const CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;font:inherit;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1rem;font:inherit}.alert{color:#8a1c1c}dl{margin:1rem 0}dt{font-weight:600}
code{background:#f2f2f2;padding:0 .2rem}`;

export type PageStatus = 200 | 400 | 401 | 403 | 423 | 429;

function Page({ title, children }: { title: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>{title}</title>
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="stylesheet" href={STYLESHEET} />
      </head>
      <body>
        <main>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

/** A refusal or a warning, announced to screen readers; nothing when empty. */
export const Alert = ({ message }: { message: string }) =>
  message ? (
    <p class="alert" role="alert">
      {message}
    </p>
  ) : null;

export const Hidden = ({ name, value }: { name: string; value: string }) => (
  <input type="hidden" name={name} value={value} />
);

export function htmlPage(c: Context, title: string, body: Child, status: PageStatus = 200) {
  return htmlResponse(c, `<!doctype html>${<Page title={title}>{body}</Page>}`, status);
}
