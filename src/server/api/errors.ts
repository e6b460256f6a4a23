import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { CoreError, CoreErrorKind } from "../core/errors.js";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  423: "Locked",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function reasonOf(status: number): string {
  return REASONS[status] ?? "Error";
}

/** The HTTP status of each core error kind, the same for every face. */
export const STATUS_OF: Readonly<Record<CoreErrorKind, ContentfulStatusCode>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  too_many: 429,
};

/** Renders an error in a face's own shape. */
export type ApiErrorRenderer = (c: Context, status: ContentfulStatusCode, description: string) => Response;

/** The config-api error body: {code, message, description}. */
export function apiError(c: Context, status: ContentfulStatusCode, description: string) {
  return c.json({ code: String(status), message: reasonOf(status), description }, status);
}

/** A core error in the config-api shape, with Retry-After when it applies. */
export function coreError(c: Context, e: CoreError) {
  if (e.retryAfter !== undefined) c.header("Retry-After", String(e.retryAfter));
  return apiError(c, STATUS_OF[e.kind], e.message);
}

/** The OAuth 2.0 error body (RFC 6749 section 5.2). */
export function oauthError(c: Context, status: ContentfulStatusCode, error: string, description: string) {
  c.header("Cache-Control", "no-store");
  return c.json({ error, error_description: description }, status);
}
