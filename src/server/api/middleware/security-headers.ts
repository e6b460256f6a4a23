import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { answerHeader, transport } from "../request-info.js";

/**
 * An HTML page's policy. `formTargets`: origins a form on the page may end up at through
 * redirects (a relying party after sign-in or sign-out), since browsers apply form-action to the
 * whole redirect chain of a form submission.
 */
export function htmlPolicy(formTargets: readonly string[] = []): string {
  const targets = formTargets.filter((o) => /^https?:\/\/[^\s;,'"]+$/.test(o));
  return `default-src 'none'; style-src 'self'; img-src 'self'; form-action ${["'self'", ...targets].join(" ")}; frame-ancestors 'none'; base-uri 'none'`;
}

// The origins a page's forms may lead on to, per request, until its page is rendered.
const formTargets = new WeakMap<Context, string[]>();

/** Lets this page's forms lead on to these origins (see htmlPolicy). */
export function allowFormTargets(c: Context, urls: readonly (string | undefined)[]): void {
  const origins = urls.flatMap((u) => {
    try {
      return u ? [new URL(u).origin] : [];
    } catch {
      return [];
    }
  });
  formTargets.set(c, [...new Set([...(formTargets.get(c) ?? []), ...origins])]);
}

/** An HTML page: a CSP without inline script (styles only from our stylesheet), never cached. */
export function htmlResponse(c: Context, markup: string, status: ContentfulStatusCode = 200) {
  c.header("Content-Security-Policy", htmlPolicy(formTargets.get(c)));
  c.header("Cache-Control", "no-store");
  return c.html(markup, status);
}

const EVERY_RESPONSE: Readonly<Record<string, string>> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  // same-origin, not no-referrer: with no-referrer a browser's same-origin form post says
  // "Origin: null", and the CSRF check could not tell it from a cross-site one.
  "Referrer-Policy": "same-origin",
  // Pages replace it with their own (htmlResponse); anything else loads nothing.
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
};
// Over TLS, browsers are told to keep to it (a cookie issued over TLS is never sent in clear).
const OVER_TLS: Readonly<Record<string, string>> = {
  ...EVERY_RESPONSE,
  "Strict-Transport-Security": "max-age=31536000",
};

/**
 * Headers on every response: no framing anywhere (clickjacking), no MIME sniffing, no referrer to
 * other sites, nothing loaded by what is not a page; a header the route set itself wins.
 */
export function securityHeaders(): MiddlewareHandler {
  return (c, next) => {
    const headers = transport(c).secure ? OVER_TLS : EVERY_RESPONSE;
    for (const name in headers) answerHeader(c, name, headers[name]!);
    return next();
  };
}
