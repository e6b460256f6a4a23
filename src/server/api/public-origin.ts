import type { ServerCore } from "../core/core.js";

// The origin the server's own URLs (discovery, the device verification URI) are built on: the
// configured issuer's, never the request's Host, which any client can set.

/** The issuer's origin; http://localhost when the issuer is not a URL (an in-process core). */
export function publicOrigin(core: ServerCore): string {
  try {
    const url = new URL(core.tokens.issuer);
    if (url.protocol === "https:" || url.protocol === "http:") return url.origin;
  } catch {
    // not a URL: fall through
  }
  return "http://localhost";
}
