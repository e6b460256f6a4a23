import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bearerToken } from "../../../src/server/api/kit/bearer.js";
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
