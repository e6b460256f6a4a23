import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/server/store/types.js";
import { openTestPgStore } from "../helpers/postgres.js";
import { addUser, cookieOf, type Harness, harness } from "../helpers/server-harness.js";

// Whatever a client sends to any route, the server never answers 5xx: generated requests (paths
// of every route and random ones, query strings, headers, bodies, with NUL, lone surrogates, C1
// and bidi controls among their characters), in process, on SQLite and on PostgreSQL (which
// refuses NUL and lone surrogates in text: what the input guards keep away from it).

let h: Harness;
let token: string;
let cookie: string;
let sid: string;
let clientId: string;

const CONFIG = "/jans-config-api/api/v1/jans-auth-server/session";
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    "\u0000",
    "%00",
    "a\u0000b",
    "..",
    "%2e%2e",
    "__proto__",
    "constructor",
    "'; DROP TABLE x --",
    "🙂",
    "\ud800",
    "a\udfffb",
    "\u0085",
    "a\u009bb",
    "\u202eexe.txt",
    "\u2066x\u2069",
    "\u200f",
    "\u061c",
    "%C2%85",
    "%E2%80%AE",
    "%ED%A0%80",
    "toString",
  ),
  fc.integer().map(String),
  fc.string({ unit: "binary-ascii", maxLength: 30 }),
);
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return "lone-surrogate";
  }
};
const segment = fc.oneof(
  nasty.map(encode),
  nasty,
  fc.constant(() => sid).map((f) => f()),
);

const path = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      `${CONFIG}`,
      `${CONFIG}/search`,
      "/jans-auth/restv1/authorize",
      "/jans-auth/restv1/login",
      "/jans-auth/login",
      "/jans-auth/restv1/session_status",
      "/jans-auth/restv1/end_session",
      "/jans-auth/restv1/token",
      "/jans-auth/restv1/revoke",
      "/jans-auth/restv1/device_authorization",
      "/jans-auth/restv1/jwks",
      "/jans-auth/device",
      "/jans-auth/restv1/account/sessions",
      "/jans-auth/restv1/account/sessions/end",
      "/jans-auth/restv1/account/password",
      "/.well-known/openid-configuration",
      "/health",
      "/jans-auth/assets/style.css",
      "/jans-auth/app",
      "/api/admin/sessions",
      "/api/admin/users",
      "/api/admin/alarms",
      "/api/admin/audit",
      "/admin/login",
      "/admin/sessions",
      "/admin/users",
      "/admin/logout",
      "/am/json/realms/root/sessions",
      "/am/json/realms/root/realms/alpha/sessions",
      "/am/json/realms/root/realms/alpha/%2e%2e/beta/sessions",
      "/am/oauth2/realms/root/access_token",
    ),
  },
  { weight: 2, arbitrary: segment.map((s) => `/api/admin/sessions/${s}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(segment, fc.constantFrom("logout-all", "lock", "unlock", "disable", "enable"))
      .map(([s, a]) => `/api/admin/users/${s}/${a}`),
  },
  { weight: 1, arbitrary: segment.map((s) => `/api/admin/alarms/${s}/acknowledge`) },
  { weight: 3, arbitrary: segment.map((s) => `${CONFIG}/sid/${s}`) },
  { weight: 2, arbitrary: segment.map((s) => `${CONFIG}/user/${s}`) },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join("/")}`) },
);

const KEYS = [
  "limit",
  "startIndex",
  "sortBy",
  "sortOrder",
  "fieldValuePair",
  "pattern",
  "client_id",
  "acr_values",
  "user_code",
  "offset",
  "userId",
  "ip",
  "sort",
  "order",
  "open",
  "type",
  "search",
  "notice",
  "_action",
  "_queryFilter",
  "_sortKeys",
  "_pageSize",
];
const fvp = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(
          "auth_user",
          "expirationDate",
          "state",
          "sid",
          "permissionGranted",
          "__proto__",
          "scope",
          "redirect_uri",
          "acr_values",
        ),
        fc.string(),
      ),
      fc.constantFrom("=", "!=", "<", ">=", "~"),
      nasty,
    ),
    { maxLength: 3 },
  )
  .map((pairs) => pairs.map(([k, op, v]) => `${k}${op}${v}`).join(","));
const query = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...KEYS), fc.string()),
      fc.oneof(nasty, fvp, fc.constant("__client__")),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => {
    const q = new URLSearchParams();
    for (const [k, v] of pairs) q.append(k, v === "__client__" ? clientId : v);
    return q.toString();
  });

const headers = fc.record(
  {
    authorization: fc.oneof(
      fc.constant("__token__"),
      nasty.map((s) => `Bearer ${s}`),
      nasty.map((s) => `Basic ${Buffer.from(s).toString("base64")}`),
      nasty,
    ),
    cookie: fc.oneof(
      fc.constant("__cookie__"),
      nasty.map((s) => `session_id=${s}`),
      nasty,
    ),
    "content-type": fc.constantFrom(
      "application/json",
      "application/x-www-form-urlencoded",
      "text/plain",
      "multipart/form-data",
      "application/json; charset=utf-8",
      "x/y",
    ),
    origin: fc.constantFrom("https://evil.example", "http://localhost"),
    "user-agent": nasty,
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.constant(undefined),
  nasty,
  fc
    .dictionary(
      fc.oneof(
        fc.constantFrom(
          "username",
          "password",
          "grant_type",
          "scope",
          "token",
          "device_code",
          "csrf_token",
          "current_password",
          "new_password",
          "sid",
        ),
        fc.string(),
      ),
      fc.oneof(nasty, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())),
    )
    .map((o) => JSON.stringify(o)),
  fc
    .dictionary(
      fc.constantFrom(
        "grant_type",
        "username",
        "password",
        "scope",
        "client_id",
        "client_secret",
        "refresh_token",
      ),
      nasty,
    )
    .map((o) => new URLSearchParams(o).toString()),
  fc.constant('{"username":'),
);

function materialise(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    // Header values must be ByteStrings (Latin-1: C1 bytes included) without CR/LF or NUL for fetch's Request.
    const value = v.replace("__token__", `Bearer ${token}`).replace("__cookie__", `session_id=${cookie}`);
    if (/^[\x20-\x7e\t\x80-\xff]*$/.test(value)) out[k] = value;
  }
  return out;
}

// Every route that reads a body, with every field it reads: hostile characters where a store
// would see them (the broad generator above reaches these too rarely to find a PostgreSQL 500).
const AM = "/am/json/realms/root/sessions?_action=";
const BODY_ROUTES: [string, "form" | "json", string[]][] = [
  [
    "/jans-auth/restv1/token",
    "form",
    ["grant_type", "client_id", "client_secret", "scope", "refresh_token", "device_code", "code", "ujwt"],
  ],
  ["/jans-auth/restv1/device_authorization", "form", ["client_id", "scope"]],
  ["/jans-auth/restv1/revoke", "form", ["token", "token_type_hint", "client_id", "client_secret"]],
  [
    "/jans-auth/restv1/revoke_session",
    "form",
    ["user_criterion", "user_criterion_value", "client_id", "client_secret"],
  ],
  ["/jans-auth/restv1/global-token-revocation", "json", ["sub_id", "format", "id"]],
  ["/jans-auth/restv1/login", "json", ["username", "password"]],
  ["/admin/login", "form", ["username", "password", "csrf_token"]],
  ["/api/admin/users", "json", ["username", "password", "email"]],
  ...[
    "validate",
    "getSessionInfo",
    "refresh",
    "logout",
    "logoutByHandle",
    "logoutByUser",
    "updateSessionProperties",
  ].map((a): [string, "json", string[]] => [
    `${AM}${a}`,
    "json",
    ["tokenId", "sessionHandle", "username", "realm"],
  ]),
];
const HOSTILE = ["\u0000", "a\u0000b", "\ud800", "x\udfff", "\u0085", "\u202e", "\u2066", "\u061c"];
/** Basic credentials whose client id, form-decoded, carries the character (WTF-8 for a lone surrogate). */
function basicWith(ch: string): string {
  const id = `c${encode(ch).replace("lone-surrogate", "%ED%A0%80")}`;
  return `Basic ${Buffer.from(`${id}:s`).toString("base64")}`;
}

const hostileRequest = fc
  .tuple(
    fc.constantFrom(...BODY_ROUTES),
    fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.constantFrom(...HOSTILE), fc.string()), {
      maxKeys: 2,
    }),
    fc.constantFrom(...HOSTILE),
    fc.boolean(),
  )
  .map(([[path, kind, fields], extra, bad, basic]) => {
    const values = Object.fromEntries(fields.map((f, i) => [f, i % 2 ? bad : `v${bad}`]));
    const all = { ...values, ...extra };
    const body = kind === "json" ? JSON.stringify(all) : new URLSearchParams(all).toString();
    const type = kind === "json" ? "application/json" : "application/x-www-form-urlencoded";
    const auth = { authorization: basic ? basicWith(bad) : "__token__" };
    return { path, body, headers: { "content-type": type, ...auth } };
  });

const BACKENDS: [string, number, (() => Promise<Store>) | undefined][] = [
  ["SQLite", 10_000, undefined],
  ["PostgreSQL", 10_000, () => openTestPgStore()],
];

describe.each(BACKENDS)("no request makes the server answer 5xx (%s)", (_name, runs, openStore) => {
  const seen = new Map<number, number>();
  beforeAll(async () => {
    const store = openStore ? await openStore() : undefined;
    h = await harness(
      { lockoutThreshold: 1000, maxUnauthenticatedSessionsPerAddress: 0 },
      store ? { store } : {},
    );
    await addUser(h, "alice");
    const res = await h.login("alice");
    cookie = cookieOf(res);
    sid = ((await res.json()) as { sid: string }).sid;
    token = await h.token();
    clientId = await h.client();
  });
  afterAll(async () => {
    await h.close();
  });

  it(`${runs} generated requests over every route`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 5, arbitrary: fc.constantFrom("GET", "POST", "DELETE") },
          fc.constantFrom("PUT", "PATCH", "OPTIONS"),
        ),
        path,
        query,
        headers,
        body,
        async (method, p, q, hs, b) => {
          let url: string;
          try {
            url = new URL(`http://localhost${p}${q ? `?${q}` : ""}`).href;
          } catch {
            return;
          }
          const withBody = method !== "GET" && b !== undefined;
          const res = await h.app.request(url, {
            method,
            headers: materialise(hs as Record<string, string>),
            ...(withBody ? { body: b } : {}),
          });
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          expect(res.status, `${method} ${url}`).toBeLessThan(500);
        },
      ),
      { numRuns: runs },
    );
    const total = [...seen.values()].reduce((a, n) => a + n, 0);
    console.log(
      `statuses over ${total} requests: ${JSON.stringify(Object.fromEntries([...seen].sort(([a], [b]) => a - b)))}`,
    );
    expect(total).toBe(runs);
    // The generator reaches the handlers, not only the guards: successes and several kinds of refusal.
    for (const code of [200, 400, 401, 404]) expect(seen.get(code) ?? 0).toBeGreaterThan(0);
  }, 300_000);

  it("hostile characters in every field of every route that reads a body", async () => {
    await fc.assert(
      fc.asyncProperty(hostileRequest, async ({ path, body, headers }) => {
        const res = await h.app.request(path, { method: "POST", headers: materialise(headers), body });
        expect(res.status, `POST ${path} ${body}`).toBeLessThan(500);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
