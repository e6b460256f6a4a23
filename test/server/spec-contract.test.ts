import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { load as parse } from "js-yaml";
import { describe, expect, it } from "vitest";
import { AM_OPERATION_SCOPES, OPERATION_SCOPES } from "../../src/server/core/oauth/scopes.js";
import { harness } from "../helpers/server-harness.js";
import { ROOT } from "../helpers/spawn-server.js";

type Op = { operationId: string; security?: Record<string, string[]>[] };
type Doc = { paths: Record<string, Record<string, Op>>; security?: Record<string, string[]>[] };
function operationsOf(file: string): Op[] {
  const doc = parse(readFileSync(join(ROOT, "spec", file), "utf8")) as Doc;
  return Object.values(doc.paths).flatMap((item) =>
    Object.values(item)
      .filter((op): op is Op => typeof op === "object" && op !== null && "operationId" in op)
      .map((op) => ({ ...op, security: op.security ?? doc.security ?? [] })),
  );
}
const specOps = operationsOf("opcli.yaml");

describe("spec/opcli.yaml and the server agree", () => {
  it("declares the scopes the server enforces, for every admin operation", () => {
    const declared = Object.fromEntries(
      specOps
        .filter((op) => op.operationId in OPERATION_SCOPES)
        .map((op) => [op.operationId, (op.security ?? []).map((alt) => alt.oauth2 ?? [])]),
    );
    expect(declared).toEqual(OPERATION_SCOPES);
  });

  it("spec/pingam-sessions.yaml declares the PingAM face's scopes, on the sub-realm and root paths alike", () => {
    const ops = operationsOf("pingam-sessions.yaml");
    expect(ops).toHaveLength(2 * Object.keys(AM_OPERATION_SCOPES).length);
    for (const op of ops) {
      const id = op.operationId.replace(/^root-/, "");
      expect(AM_OPERATION_SCOPES, op.operationId).toHaveProperty(id);
      expect(
        op.security!.map((alt) => alt.oauth2 ?? []),
        op.operationId,
      ).toEqual(AM_OPERATION_SCOPES[id]);
    }
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
