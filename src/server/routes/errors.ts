import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  423: "Locked",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The config-api error body: {code, message, description}. */
export function apiError(c: Context, status: ContentfulStatusCode, description: string) {
  return c.json({ code: String(status), message: REASONS[status] ?? "Error", description }, status);
}

/** The OAuth 2.0 error body (RFC 6749 section 5.2). */
export function oauthError(c: Context, status: ContentfulStatusCode, error: string, description: string) {
  c.header("Cache-Control", "no-store");
  return c.json({ error, error_description: description }, status);
}
