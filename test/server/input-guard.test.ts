import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { escapeUnsafe } from "../../src/server/api/middleware/body-guard.js";
import { pathRefusal, queryOf, unsafeText } from "../../src/server/api/middleware/input-guard.js";
import { createApp } from "../../src/server/app.js";
import { addUser, type Harness, harness } from "../helpers/server-harness.js";

// Input never reaches a store raw: NUL, lone surrogates, C1 and bidi controls are refused with a
// 400 on every face (query, path, form and JSON bodies, Basic credentials), or escaped where a
// header is kept as data (User-Agent); prototype names in sort and notice parameters and dot
// segments in paths are refused too.

let h: Harness;
beforeEach(async () => {
  h = await harness({ realms: { "/": {}, "/alpha": {}, "/beta": {} } as never });
});
afterEach(async () => h.close());

/** Each bad character as JSON escapes it (a lone surrogate exists only as an escape) and as text. */
const BAD: [string, string][] = [
  ["NUL", "\\u0000"],
  ["lone high surrogate", "\\ud800"],
  ["lone low surrogate", "\\udfff"],
  ["C1 NEL", "\\u0085"],
  ["C1 CSI", "\\u009b"],
  ["RLO", "\\u202e"],
  ["RLI", "\\u2067"],
  ["PDI", "\\u2069"],
  ["LRM", "\\u200e"],
  ["ALM", "\\u061c"],
];
const text = (escaped: string) => JSON.parse(`"${escaped}"`) as string;
// URL-encoded as UTF-8 (a lone surrogate has no UTF-8 form: its WTF-8 bytes are what an attacker sends).
const pct = (escaped: string) => {
  const cp = text(escaped).charCodeAt(0);
  if (cp >= 0xd800 && cp <= 0xdfff)
    return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
      .map((b) => `%${b.toString(16).toUpperCase()}`)
      .join("");
  return encodeURIComponent(text(escaped));
};
const TEXT_BAD = BAD.filter(([name]) => !name.includes("surrogate"));

const form = (path: string, body: string, headers: Record<string, string> = {}) =>
  h.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
const json = (path: string, body: string, headers: Record<string, string> = {}) =>
  h.app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

describe.each(BAD)("%s", (_name, escaped) => {
  it("in a JSON body (login, PingAM action, console API) is a 400 and nothing is stored", async () => {
    const login = await json("/jans-auth/restv1/login", `{"username":"a${escaped}b","password":"x"}`);
    expect(login.status).toBe(400);
    const token = await h.token();
    const am = await json("/am/json/realms/root/sessions?_action=validate", `{"tokenId":"x${escaped}"}`, {
      authorization: `Bearer ${token}`,
      "accept-api-version": "resource=4.0, protocol=1.0",
    });
    expect(am.status).toBe(400);
    const admin = await json("/api/admin/users", `{"username":"u${escaped}","password":"long-enough-pw"}`, {
      authorization: `Bearer ${token}`,
    });
    expect(admin.status).toBe(400);
    expect(await h.deps.store.users.count()).toBe(0);
  });
});

describe.each(BAD)("%s", (_name, escaped) => {
  it("in a JSON body sent as a form (a route that reads JSON whatever the type) is a 400", async () => {
    const token = await h.token();
    const am = await form(
      "/am/json/realms/root/sessions?_action=logoutByUser",
      `{"username":"a${escaped}"}`,
      {
        authorization: `Bearer ${token}`,
        "accept-api-version": "resource=5.0, protocol=1.0",
      },
    );
    expect(am.status).toBe(400);
    expect(await am.text()).toContain("control character");
  });
});

it("JSON nested 15,000 deep is answered, never a 500 (the guard walks without recursion)", async () => {
  const deep = `${"[".repeat(15_000)}${"]".repeat(15_000)}`;
  for (const send of [json, form]) {
    const res = await send("/jans-auth/restv1/token", deep);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  }
  const unsafe = `${"[".repeat(15_000)}"\u0000"${"]".repeat(15_000)}`;
  expect((await json("/jans-auth/restv1/login", unsafe)).status).toBe(400);
});

// A lone surrogate has no UTF-8 form: percent-encoded, its bytes decode to U+FFFD (or fail to
// decode at all), so only JSON's escapes can carry one; these faces see the other characters.
describe.each(TEXT_BAD)("%s", (_name, escaped) => {
  it("in a form body (token, device authorization) is a 400", async () => {
    const token = await form(
      "/jans-auth/restv1/token",
      `grant_type=client_credentials&scope=a${pct(escaped)}`,
      {
        authorization: `Basic ${Buffer.from(`${h.admin.client_id}:${h.admin.client_secret}`).toString("base64")}`,
      },
    );
    expect(token.status).toBe(400);
    const device = await form("/jans-auth/restv1/device_authorization", `client_id=c${pct(escaped)}`);
    expect(device.status).toBe(400);
  });

  it("in Basic credentials (decoded) is a 400", async () => {
    const basic = Buffer.from(`${h.admin.client_id}${pct(escaped)}:secret`).toString("base64");
    const res = await form("/jans-auth/restv1/token", "grant_type=client_credentials", {
      authorization: `Basic ${basic}`,
    });
    expect(res.status).toBe(400);
  });

  it("in a query value or a path segment is a 400", async () => {
    expect((await h.api(`/search?pattern=a${pct(escaped)}`)).status).toBe(400);
    expect((await h.api(`/sid/a${pct(escaped)}`)).status).toBe(400);
    // A stray % beside it: the router still decodes the rest, so the guard must too.
    expect((await h.api(`/sid/%${pct(escaped)}`)).status).toBe(400);
    expect((await h.api(`/sid/${pct(escaped)}%zz`)).status).toBe(400);
  });
});

describe("headers kept as data", () => {
  it.each(TEXT_BAD)(
    "a User-Agent with %s is stored escaped, the sign-in still works",
    async (_n, escaped) => {
      await addUser(h, "alice");
      // Header values are bytes read as Latin-1: a C1 byte arrives as is, a bidi control as its UTF-8 bytes.
      const raw = text(escaped);
      const ua =
        raw.charCodeAt(0) > 0xff ? Buffer.from(`agent ${raw}`, "utf8").toString("latin1") : `agent ${raw}`;
      if (raw === "\u0000") return; // no HTTP stack carries a NUL in a header
      const res = await h.app.request("/jans-auth/restv1/login", {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": ua },
        body: JSON.stringify({ username: "alice", password: "correct-horse-battery" }),
      });
      expect(res.status).toBe(200);
      const { sid } = (await res.json()) as { sid: string };
      const stored = (await h.deps.store.sessions.getLive(sid, h.clock.now()))!.attributes.user_agent!;
      expect(stored).toBe(escapeUnsafe(ua));
      expect(stored).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
    },
  );
});

describe("prototype names and dot segments", () => {
  const PROTO = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
  it.each(PROTO)("sort, notice and _sortKeys naming %s are 400", async (name) => {
    const token = await h.token();
    const auth = { headers: { authorization: `Bearer ${token}` } };
    expect((await h.app.request(`/api/admin/sessions?sort=${name}`, auth)).status).toBe(400);
    expect((await h.app.request(`/admin/users?notice=${name}`)).status).toBe(400);
    expect((await h.api(`/search?sortBy=${name}`)).status).toBe(400);
    const am = await h.app.request(
      `/am/json/realms/root/sessions?_queryFilter=true&_sortKeys=-${name}`,
      auth,
    );
    expect(am.status).toBe(400);
  });

  it("a realm path with an encoded dot segment is refused, not served as the sibling realm", async () => {
    const server = serve({ fetch: createApp(h.deps).fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((r) => server.once("listening", r));
    const { port } = server.address() as AddressInfo;
    const token = await h.token();
    const statusOf = (path: string) =>
      new Promise<number>((resolve, reject) => {
        // node:http sends the path as written: no client-side resolution of the dot segments.
        const req = request({ host: "127.0.0.1", port, path, headers: { authorization: `Bearer ${token}` } });
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on("error", reject);
        req.end();
      });
    try {
      const q = "?_queryFilter=true";
      expect(await statusOf(`/am/json/realms/root/realms/beta/sessions${q}`)).toBe(200);
      for (const dots of ["%2e%2e", "%2E%2E", ".%2e", "%2e.", "..", "%2e"])
        expect(await statusOf(`/am/json/realms/root/realms/alpha/${dots}/beta/sessions${q}`)).toBe(400);
      // A backslash is a slash to the URL parser: the dots between two of them are a segment too.
      expect(await statusOf(`/am/json/realms/root/realms/alpha\\%2e%2e\\beta/sessions${q}`)).toBe(400);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe("the guard's query reading", () => {
  it("reads any request URL's query as the URL parser does (no parse when there is none)", () => {
    const part = fc.string({ unit: "grapheme-composite", maxLength: 30 });
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.option(part),
        fc.option(part),
        (url, query, fragment) => {
          const full = `${url}${query === null ? "" : `?${query}`}${fragment === null ? "" : `#${fragment}`}`;
          let href: string;
          try {
            // What the adapter hands on: the target as sent when plain, else the URL parser's href.
            href = new URL(full).href;
          } catch {
            return; // not a URL a request can carry
          }
          expect([...queryOf(href)]).toEqual([...new URL(href).searchParams]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("the guard's path check", () => {
  // The check as it was written first: every segment decoded, then looked at.
  const decodedSegment = (seg: string) =>
    seg.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  const reference = (raw: string) => {
    const segments = raw.split("/").map(decodedSegment);
    if (segments.some((seg) => unsafeText(seg))) return "the path contains a control character";
    if (segments.some((seg) => seg === "." || seg === "..")) return "the path contains a dot segment";
    return undefined;
  };

  it.each([
    ["/jans-auth/restv1/session_status", undefined],
    ["/a/../b", "the path contains a dot segment"],
    ["/a/./b", "the path contains a dot segment"],
    ["/a/..", "the path contains a dot segment"],
    ["/a/%2e%2E/b", "the path contains a dot segment"],
    ["/a/...b/.c/", undefined],
    ["/a/%00", "the path contains a control character"],
    ["/a/\u202e", "the path contains a control character"],
    ["/a/%E2%80%AE", "the path contains a control character"],
    ["/a/%zz/%", undefined],
  ])("%s", (raw, why) => {
    expect(pathRefusal(JSON.parse(`"${raw}"`) as string)).toBe(why);
  });

  it("refuses exactly what checking each decoded segment refuses", () => {
    const piece = fc.oneof(
      fc.constantFrom("/", ".", "..", "%", "%2e", "%2E", "%00", "%E2%80%AE", "%zz", "\u202e", "\ud800", "a"),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const raw = parts.join("");
        expect(pathRefusal(raw)).toBe(reference(raw));
      }),
      { numRuns: 2000 },
    );
  });
});
