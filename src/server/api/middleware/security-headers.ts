import type { MiddlewareHandler } from "hono";

/**
 * Headers on every response: no framing anywhere (clickjacking), no MIME sniffing, no referrer to other sites;
 * HTML pages get a CSP without inline script (styles only from our own stylesheet).
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set("X-Frame-Options", "DENY");
    h.set("X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: with no-referrer a browser's same-origin form post says
    // "Origin: null", and the CSRF check could not tell it from a cross-site one.
    h.set("Referrer-Policy", "same-origin");
    const html = (h.get("content-type") ?? "").startsWith("text/html");
    h.set(
      "Content-Security-Policy",
      html
        ? "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        : "default-src 'none'; frame-ancestors 'none'",
    );
    if (html) h.set("Cache-Control", "no-store");
  };
}
