import type { MiddlewareHandler } from "hono";
import type { ApiErrorRenderer } from "../errors.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Refuses NUL and other control characters in the path and in query parameter names and
 * values, with a 400 that names the parameter: no parser or store below ever sees one.
 */
export function inputGuard(render: ApiErrorRenderer): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (url.pathname.split("/").some((seg) => CONTROL.test(decoded(seg))))
      return render(c, 400, "the path contains a control character");
    for (const [name, value] of url.searchParams) {
      if (CONTROL.test(name)) return render(c, 400, "a query parameter name contains a control character");
      if (CONTROL.test(value)) return render(c, 400, `query parameter ${name} contains a control character`);
    }
    await next();
  };
}

export function hasControl(s: string): boolean {
  return CONTROL.test(s);
}
