import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { load as parse } from "js-yaml";
import { describe, expect, it } from "vitest";
import { OPERATION_SCOPES } from "../../src/server/core/oauth/scopes.js";
import { harness } from "../helpers/server-harness.js";
import { ROOT } from "../helpers/spawn-server.js";

type Op = { operationId: string; security?: Record<string, string[]>[] };
const spec = parse(readFileSync(join(ROOT, "spec/opcli.yaml"), "utf8")) as {
  paths: Record<string, Record<string, Op>>;
};
const specOps = Object.values(spec.paths).flatMap((item) =>
  Object.values(item).filter((op): op is Op => typeof op === "object" && op !== null && "operationId" in op),
);

describe("spec/opcli.yaml and the server agree", () => {
  it("declares the scopes the server enforces, for every admin operation", () => {
    const declared = Object.fromEntries(
      specOps
        .filter((op) => op.operationId in OPERATION_SCOPES)
        .map((op) => [op.operationId, (op.security ?? []).map((alt) => alt.oauth2 ?? [])]),
    );
    expect(declared).toEqual(OPERATION_SCOPES);
  });
});

describe("no fieldValuePair or pattern crashes the server", () => {
  it("answers 200 or 400 with a JSON body, whatever the query", async () => {
    const h = await harness();
    const token = await h.token();
    const chars = fc.constantFrom(
      ..."ab_=<>!,\"\\ :-0123456789TZ%'*".split(""),
      "auth_user",
      "expirationDate",
      "state",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(chars, { maxLength: 30 }).map((a) => a.join("")),
        fc.string(),
        async (fvp, pattern) => {
          const res = await h.api(`/search?${new URLSearchParams({ fieldValuePair: fvp, pattern })}`, {
            token,
          });
          expect([200, 400]).toContain(res.status);
          expect(await res.json()).toBeTypeOf("object");
        },
      ),
      { numRuns: 400 },
    );
    await h.close();
  });
});
