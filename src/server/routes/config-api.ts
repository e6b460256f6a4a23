import { Hono, type MiddlewareHandler } from "hono";
import type { components } from "../../generated/opcli-api.js";
import { parseFieldValuePairs } from "../../shared/field-value-pair.js";
import { isoDate } from "../dates.js";
import type { ServerDeps } from "../deps.js";
import { OPERATION_SCOPES, satisfies } from "../oauth/scopes.js";
import { type Filter, SORT_FIELDS, type SortField, toFilter } from "../session-fields.js";
import type { SessionPage, SessionRecord } from "../store/types.js";
import { apiError } from "./errors.js";

export const CONFIG_API_BASE = "/jans-config-api/api/v1/jans-auth-server/session";
const DEFAULT_LIMIT = 50;

type SessionJson = components["schemas"]["Session"];
type PageJson = components["schemas"]["SessionPagedResult"];

export function renderSession(s: SessionRecord): SessionJson {
  return {
    dn: `jansId=${s.sid},ou=sessions,o=jans`,
    sid: s.sid,
    userDn: s.userDn,
    state: s.state,
    creationDate: isoDate(s.createdAt),
    lastUsedAt: isoDate(s.lastUsedAt),
    authenticationTime: s.authTime === null ? null : isoDate(s.authTime),
    expirationDate: isoDate(s.expiresAt),
    permissionGranted: s.permissionGranted,
    sessionAttributes: s.attributes,
  };
}

function renderPage(start: number, page: SessionPage): PageJson {
  return {
    start,
    totalEntriesCount: page.total,
    entriesCount: page.entries.length,
    entries: page.entries.map(renderSession),
  };
}

/** Requires a valid bearer token holding the scopes the operation's security requirement names. */
function requireScopes(deps: ServerDeps, operationId: string): MiddlewareHandler {
  const requirement = OPERATION_SCOPES[operationId]!;
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      c.header("WWW-Authenticate", 'Bearer realm="jans-config-api"');
      return apiError(c, 401, "a bearer access token is required");
    }
    const result = await deps.tokens.verify(match[1]!);
    if (!result.ok) {
      c.header("WWW-Authenticate", `Bearer realm="jans-config-api", error="invalid_token"`);
      return apiError(c, 401, `access token is ${result.reason}`);
    }
    if (!satisfies(result.claims.scopes, requirement)) {
      c.header("WWW-Authenticate", `Bearer realm="jans-config-api", error="insufficient_scope"`);
      const needed = requirement.map((alt) => alt.join(" + ")).join(" or ");
      return apiError(c, 403, `${operationId} needs scope ${needed}`);
    }
    await next();
  };
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function intParam(raw: string | undefined, name: string, fallback: number, min: number): Parsed<number> {
  if (raw === undefined || raw === "") return { ok: true, value: fallback };
  if (!/^-?\d+$/.test(raw)) return { ok: false, message: `${name} must be an integer, not "${raw}"` };
  const value = Number(raw);
  if (value < min) return { ok: false, message: `${name} must be at least ${min}` };
  return { ok: true, value };
}

function parseFilters(raw: string): Parsed<Filter[]> {
  const parsed = parseFieldValuePairs(raw);
  if (!parsed.ok) {
    return {
      ok: false,
      message: `fieldValuePair: ${parsed.error.message} (at offset ${parsed.error.offset})`,
    };
  }
  const filters: Filter[] = [];
  for (const p of parsed.pairs) {
    const f = toFilter(p.key, p.op, p.value);
    if (typeof f === "string") return { ok: false, message: `fieldValuePair: ${f}` };
    filters.push(f);
  }
  return { ok: true, value: filters };
}

export function configApiRoutes(deps: ServerDeps): Hono {
  const app = new Hono();
  const { store, clock, config } = deps;

  app.get("/", requireScopes(deps, "get-sessions"), (c) => {
    const page = store.searchSessions({
      now: clock.now(),
      filters: [],
      pattern: "",
      sortBy: "creationDate",
      descending: false,
      offset: 0,
      limit: DEFAULT_LIMIT,
    });
    return c.json(renderPage(0, page));
  });

  app.get("/search", requireScopes(deps, "search-session"), (c) => {
    const q = c.req.query();
    const limit = intParam(q.limit, "limit", DEFAULT_LIMIT, 1);
    if (!limit.ok) return apiError(c, 400, limit.message);
    if (limit.value > config.maxSearchLimit) {
      return apiError(c, 400, `limit ${limit.value} is above the maximum of ${config.maxSearchLimit}`);
    }
    const start = intParam(q.startIndex, "startIndex", 0, 0);
    if (!start.ok) return apiError(c, 400, start.message);
    const sortBy = (q.sortBy || "creationDate") as SortField;
    if (!SORT_FIELDS.includes(sortBy)) {
      return apiError(c, 400, `sortBy "${sortBy}" is not one of ${SORT_FIELDS.join(", ")}`);
    }
    const sortOrder = q.sortOrder || "ascending";
    if (sortOrder !== "ascending" && sortOrder !== "descending") {
      return apiError(c, 400, `sortOrder must be ascending or descending, not "${sortOrder}"`);
    }
    const filters = parseFilters(q.fieldValuePair ?? "");
    if (!filters.ok) return apiError(c, 400, filters.message);
    const page = store.searchSessions({
      now: clock.now(),
      filters: filters.value,
      pattern: q.pattern ?? "",
      sortBy,
      descending: sortOrder === "descending",
      offset: start.value,
      limit: limit.value,
    });
    return c.json(renderPage(start.value, page));
  });

  app.get("/sid/:sid", requireScopes(deps, "get-session-by-id"), (c) => {
    const session = store.getLiveSession(c.req.param("sid"), clock.now());
    if (!session) return apiError(c, 404, "no live session with that sid");
    return c.json(renderSession(session));
  });

  app.delete("/sid/:sid", requireScopes(deps, "delete-session"), (c) => {
    if (!store.deleteLiveSession(c.req.param("sid"), clock.now())) {
      return apiError(c, 404, "no live session with that sid");
    }
    return c.body(null, 204);
  });

  app.delete("/user/:userDn", requireScopes(deps, "revoke-user-session"), (c) => {
    const userDn = c.req.param("userDn");
    if (store.deleteLiveUserSessions(userDn, clock.now()) === 0) {
      return apiError(c, 404, `no live sessions for user ${userDn}`);
    }
    return c.body(null, 204);
  });

  return app;
}
