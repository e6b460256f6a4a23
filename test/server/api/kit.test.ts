import fc from "fast-check";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { bearerToken } from "../../../src/server/api/kit/bearer.js";
import { jsonObject } from "../../../src/server/api/kit/body.js";
import { OAUTH_STATUS, STATUS_OF } from "../../../src/server/api/kit/errors.js";
import { intParam } from "../../../src/server/api/kit/paging.js";

describe("the face kit's parsers", () => {
  it.each([
    ["Bearer abc", "abc"],
    ["bearer  abc", "abc"],
    ["BEARER a.b-c_d", "a.b-c_d"],
    ["Bearer", undefined],
    ["Bearer a b", undefined],
    ["Basic YTpi", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("bearerToken(%j) is %j", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it("intParam accepts exactly the digit strings in range", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.nat(100), fc.option(fc.nat(1000)), (raw, min, max) => {
        const range = max === null ? { min } : { min, max };
        const v = intParam("limit", raw, range);
        const inRange = /^\d{1,9}$/.test(raw) && Number(raw) >= min && (max === null || Number(raw) <= max);
        if (inRange) expect(v).toBe(Number(raw));
        else expect(v).toMatch(/^limit must be an integer (of at least|from) /);
      }),
    );
  });

  it("intParam leaves an absent parameter to the caller's default", () => {
    expect(intParam("offset", undefined, { min: 0 })).toBeUndefined();
  });

  it("maps refusals to the statuses the faces always answered", () => {
    expect(STATUS_OF).toMatchObject({ unauthorized: 401, locked: 423, too_many: 429, not_found: 404 });
    expect(OAUTH_STATUS).toMatchObject({ invalid_grant: 400, invalid_token: 401, insufficient_scope: 403 });
  });
});

describe("the face kit's JSON body reader", () => {
  /** What jsonObject makes of a body, through a real hono request. */
  async function read(body: string, emptyIsObject = false): Promise<unknown> {
    const app = new Hono().post("/", async (c) => c.json({ r: await jsonObject(c, { emptyIsObject }) }));
    const res = await app.request("/", {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    return ((await res.json()) as { r: unknown }).r;
  }

  it.each([
    ['{"a":1}', false, { a: 1 }],
    ["{}", false, {}],
    ["", false, "the body is not valid JSON"],
    ["  ", true, {}],
    ["[1]", false, "the body must be a JSON object"],
    ["null", true, "the body must be a JSON object"],
    ['"x"', false, "the body must be a JSON object"],
    ["{", false, "the body is not valid JSON"],
  ])("%j (empty is {}: %j) reads as %j", async (body, empty, expected) => {
    expect(await read(body, empty)).toEqual(expected);
  });

  it("any text is an object or one of the two reasons, never a throw", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (body) => {
        const r = await read(body);
        if (typeof r === "string")
          expect(["the body is not valid JSON", "the body must be a JSON object"]).toContain(r);
        else expect(r).toEqual(JSON.parse(body));
      }),
      { numRuns: 200 },
    );
  });
});
