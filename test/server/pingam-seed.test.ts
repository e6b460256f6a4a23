import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SeedWorld, seedWorld } from "../helpers/pingam-world.js";
import { type CurlExample, curlExamples, shapeOf } from "../helpers/seed-curl.js";
import { cookieOf } from "../helpers/server-harness.js";

// Every curl example of seed 002 (PingAM's "Manage sessions over REST"), replayed as printed
// against our server: realm alpha, a user with two real sessions made through the login path.

const SEED = "002_b29396893d7a799c.txt";
const DOC_USER = "b0f30dfb-4e01-457e-a567-c258a74e4fe2";
const DOC_HANDLES = ["shandle:flz3sdj5Ts…", "shandle:SZtTnGMwnG…"];
/** The page's placeholders replaced by this world's values. */
function substitute(text: string, w: SeedWorld): string {
  let out = text
    .replace(/"\s*"?session-token"?\s*"/g, JSON.stringify(w.tokens[0]))
    .replaceAll(DOC_USER, w.userId)
    .replace("<access-token>", w.accessToken)
    .replace("https://<tenant-env-fqdn>", "");
  DOC_HANDLES.forEach((d, i) => {
    out = out.replaceAll(d, w.handles[i]!);
  });
  return out;
}

async function replay(ex: CurlExample, w: SeedWorld): Promise<{ status: number; body: unknown }> {
  const headers = Object.fromEntries(Object.entries(ex.headers).map(([k, v]) => [k, substitute(v, w)]));
  const res = await w.h.app.request(substitute(ex.url, w), {
    method: ex.method,
    headers,
    ...(ex.data !== undefined ? { body: substitute(ex.data, w) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

/** Keys whose documented value is the same on any server (after the placeholders are filled). */
const STABLE = [
  "username",
  "universalId",
  "realm",
  "uid",
  "valid",
  "result",
  "LoginLocation",
  "code",
  "reason",
  "message",
  "AuthType",
  "maxidletime",
  "maxsessiontime",
];

function expectLike(actual: unknown, documented: unknown, elided: boolean) {
  if (elided) {
    // The page shows some fields and elides the rest: those it shows are there, as shown.
    const a = shapeOf(actual) as Record<string, unknown>;
    for (const [k, v] of Object.entries(shapeOf(documented) as Record<string, unknown>))
      expect(a[k]).toEqual(v);
  } else {
    expect(shapeOf(actual)).toEqual(shapeOf(documented));
  }
  if (documented && typeof documented === "object" && !Array.isArray(documented))
    for (const k of STABLE)
      if (k in documented && !Array.isArray((documented as Record<string, unknown>)[k]))
        expect((actual as Record<string, unknown>)[k]).toEqual((documented as Record<string, unknown>)[k]);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const examples = curlExamples(SEED);

describe("seed 002: every curl example, replayed", () => {
  let w: SeedWorld;
  beforeEach(async () => {
    w = await seedWorld();
  });
  afterEach(() => w.h.close());

  it("finds the page's eleven examples", () => {
    expect(
      examples.map(
        (e) => new URL(e.url.replace("<tenant-env-fqdn>", "h")).searchParams.get("_action") ?? "query",
      ),
    ).toEqual([
      "getSessionInfo",
      "getSessionInfoAndResetIdleTime",
      "validate",
      "refresh",
      "logout",
      "query",
      "logoutByHandle",
      "logoutByUser",
      "getSessionProperties",
      "updateSessionProperties",
      "updateSessionProperties",
    ]);
  });

  it.each(
    examples.map(
      (e, i) => [`${i + 1}. ${e.section}: ${e.method} ${e.url.split("/sessions")[1]}`, e] as const,
    ),
  )("%s", async (_title, ex) => {
    const documented = JSON.parse(substitute(JSON.stringify(ex.response), w)) as Record<string, unknown>;
    const { status, body } = await replay(ex, w);
    expect(status).toBe(typeof documented.code === "number" ? documented.code : 200);
    expectLike(body, documented, ex.elided);
    for (const [k, v] of Object.entries(body as Record<string, unknown>))
      if (/Time$/.test(k)) expect(v).toMatch(ISO);
    if (ex.alternative !== undefined) {
      // The page's other answer: the same call once the token no longer names a session.
      const again = await replay(ex, w);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(ex.alternative);
    }
  });

  it("the query lists exactly the user's two sessions, by the handles an admin uses", async () => {
    const { body } = await replay(examples[5]!, w);
    const result = (body as { result: { sessionHandle: string }[] }).result;
    expect(result.map((r) => r.sessionHandle).sort()).toEqual([...w.handles].sort());
  });

  it("after logoutByHandle and logoutByUser the query finds nothing and the tokens are dead", async () => {
    await replay(examples[6]!, w);
    expect(((await replay(examples[5]!, w)).body as { result: unknown[] }).result).toEqual([]);
    for (const t of w.tokens) expect(await w.h.deps.sessions.byToken(t)).toBeUndefined();
    const fresh = cookieOf(await w.h.login("bjensen"));
    await replay(examples[7]!, w);
    expect(await w.h.deps.sessions.byToken(fresh)).toBeUndefined();
  });
});
