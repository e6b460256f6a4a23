import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { CoreError, CoreErrorKind } from "../../core/errors.js";
import type { OAuthErrorCode, OAuthFailure } from "../../core/oauth/grants.js";
import type { LoginRefusal } from "../../core/users.js";
import { answerHeader } from "../request-info.js";

// The error shapes of the faces, and one way to turn a core error into any of them.

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
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

const LOGIN_STATUS = { unauthorized: 401, locked: 423, too_many: 429 } as const;

/** A refused sign-in's status, with Retry-After when waiting helps (for pages that render their own body). */
export function refusalStatus(c: Context, e: LoginRefusal): 401 | 423 | 429 {
  if (e.retryAfter !== undefined) c.header("Retry-After", String(e.retryAfter));
  return LOGIN_STATUS[e.kind];
}

/** Renders an error with a status and a message in one face's shape. */
export type ErrorRenderer = (c: Context, status: ContentfulStatusCode, message: string) => Response;

/** Janssen's config-api body, also the admin API's and SSF's: {code: "404", message, description}. */
export const apiError: ErrorRenderer = (c, status, description) =>
  c.json({ code: String(status), message: reasonOf(status), description }, status);

/** CREST's (PingAM's) body: {code: 403, reason: "Forbidden", message}. */
export const crestError: ErrorRenderer = (c, status, message) =>
  c.json({ code: status, reason: reasonOf(status), message }, status);

/** A core error in a face's shape, with Retry-After when it applies. */
export const coreErrorIn =
  (render: ErrorRenderer) =>
  (c: Context, e: CoreError): Response => {
    if (e.retryAfter !== undefined) c.header("Retry-After", String(e.retryAfter));
    return render(c, STATUS_OF[e.kind], e.message);
  };

export const coreError = coreErrorIn(apiError);
export const crestCoreError = coreErrorIn(crestError);

/** The OAuth 2.0 error body (RFC 6749 section 5.2): {error, error_description}, never cached. */
export function oauthError(c: Context, status: ContentfulStatusCode, error: string, description: string) {
  answerHeader(c, "Cache-Control", "no-store");
  return c.json({ error, error_description: description }, status);
}

/** The status of each OAuth error the core answers with (RFC 6749 5.2, RFC 6750 3.1). */
export const OAUTH_STATUS: Readonly<Record<OAuthErrorCode, 400 | 401 | 403>> = {
  invalid_grant: 400,
  invalid_scope: 400,
  unauthorized_client: 400,
  expired_token: 400,
  slow_down: 400,
  authorization_pending: 400,
  access_denied: 400,
  invalid_token: 401,
  insufficient_scope: 403,
};

/** A core OAuth failure in the OAuth shape. */
export const oauthFailure = (c: Context, f: OAuthFailure) =>
  oauthError(c, OAUTH_STATUS[f.error], f.error, f.description);
