import type { Context, MiddlewareHandler } from "hono";
import { transport } from "../request-info.js";

/**
 * An HTML page's policy. `formTargets`: origins a form on the page may end up at through
 * redirects (a relying party after sign-in or sign-out), since browsers apply form-action to the
 * whole redirect chain of a form submission.
 */
export function htmlPolicy(formTargets: readonly string[] = []): string {
  const targets = formTargets.filter((o) => /^https?:\/\/[^\s;,'"]+$/.test(o));
  return `default-src 'none'; style-src 'self'; img-src 'self'; form-action ${["'self'", ...targets].join(" ")}; frame-ancestors 'none'; base-uri 'none'`;
}

/** Lets this page's forms lead on to these origins (see htmlPolicy). */
export function allowFormTargets(c: Context, urls: readonly (string | undefined)[]): void {
  const origins = urls.flatMap((u) => {
    try {
      return u ? [new URL(u).origin] : [];
    } catch {
      return [];
    }
  });
  if (origins.length > 0) c.header("Content-Security-Policy", htmlPolicy([...new Set(origins)]));
}

/**
 * Headers on every response: no framing anywhere (clickjacking), no MIME sniffing, no referrer to other sites;
 * HTML pages get a CSP without inline script (styles only from our own stylesheet).
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set("X-Frame-Options", "DENY");
    // Over TLS, browsers are told to keep to it (a cookie issued over TLS is never sent in clear).
    if (transport(c).secure) h.set("Strict-Transport-Security", "max-age=31536000");
    h.set("X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: with no-referrer a browser's same-origin form post says
    // "Origin: null", and the CSRF check could not tell it from a cross-site one.
    h.set("Referrer-Policy", "same-origin");
    const html = (h.get("content-type") ?? "").startsWith("text/html");
    // A page that set its own policy (a wider form-action) keeps it.
    if (!(html && h.has("Content-Security-Policy")))
      h.set("Content-Security-Policy", html ? htmlPolicy() : "default-src 'none'; frame-ancestors 'none'");
    if (html) h.set("Cache-Control", "no-store");
  };
}
