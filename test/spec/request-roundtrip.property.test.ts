import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BoundArgs } from "../../src/client/bind-args.js";
import { operationUrl } from "../../src/http/send.js";
import { loadModel } from "../../src/spec/load.js";

// Random small OpenAPI documents and arguments: every built request's path and query must
// parse back to the values that went in.

const name = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,7}$/);
// Dot segments are the classic trap: "." and ".." must not be resolved away by URL parsing.
const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12, unit: "grapheme" }),
  fc.constantFrom(".", "..", "a/..", "%2e"),
);
const queryKind = fc.constantFrom("scalar", "array-explode", "array-csv", "array-pipe", "deep-object");

const docArb = fc
  .record({
    segments: fc.array(
      fc.oneof(
        name.map((n) => ({ lit: n })),
        name.map((n) => ({ param: `p${n}` })),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    query: fc.uniqueArray(fc.record({ name: name.map((n) => `q${n}`), kind: queryKind }), {
      maxLength: 4,
      selector: (q) => q.name,
    }),
  })
  .map(({ segments, query }) => {
    const seen = new Set<string>();
    const segs = segments.filter((s) => !("param" in s) || (!seen.has(s.param) && seen.add(s.param)));
    return { segs, query };
  });

function querySchema(kind: string) {
  switch (kind) {
    case "array-explode":
      return { schema: { type: "array", items: { type: "string" } } };
    case "array-csv":
      return { schema: { type: "array", items: { type: "string" } }, explode: false };
    case "array-pipe":
      return { schema: { type: "array", items: { type: "string" } }, style: "pipeDelimited", explode: false };
    case "deep-object":
      return { schema: { type: "object" }, style: "deepObject", explode: true };
    default:
      return { schema: { type: "string" } };
  }
}

describe("request building round-trips", () => {
  it("path and query parse back to the arguments", async () => {
    await fc.assert(
      fc.asyncProperty(docArb, fc.infiniteStream(text), async ({ segs, query }, texts) => {
        const path = `/${segs.map((s) => ("lit" in s ? s.lit : `{${s.param}}`)).join("/")}`;
        const parameters = [
          ...segs
            .filter((s) => "param" in s)
            .map((s) => ({
              name: (s as { param: string }).param,
              in: "path",
              required: true,
              schema: { type: "string" },
            })),
          ...query.map((q) => ({ name: q.name, in: "query", ...querySchema(q.kind) })),
        ];
        const doc = {
          openapi: "3.1.0",
          info: { title: "t", version: "1" },
          paths: { [path]: { get: { operationId: "op", parameters } } },
        };
        const model = await loadModel(JSON.stringify(doc), "/tmp/prop.json", { toolVersion: "prop" });
        const op = model.operations[0]!;
        const it = texts[Symbol.iterator]();
        const next = () => it.next().value as string;
        const args: BoundArgs = { path: {}, query: {}, header: {}, cookie: {} };
        for (const p of op.params.filter((x) => x.in === "path")) args.path[p.name] = next();
        for (const q of query) {
          if (q.kind === "scalar") args.query[q.name] = next();
          else if (q.kind === "deep-object") args.query[q.name] = { k1: next(), k2: next() };
          // Delimited styles cannot carry their own delimiter inside items, by definition.
          else if (q.kind === "array-csv")
            args.query[q.name] = [next(), next()].map((v) => v.replaceAll(",", ""));
          else if (q.kind === "array-pipe")
            args.query[q.name] = [next(), next()].map((v) => v.replaceAll("|", ""));
          else args.query[q.name] = [next(), next()];
        }
        // Parsed by hand: WHATWG URL parsing would itself resolve dot segments.
        const built = operationUrl({ op, baseUrl: "http://h.invalid/base", args });
        const [, pathname = "", search = ""] = /^http:\/\/h\.invalid(\/[^?]*)(\?.*)?$/.exec(built) ?? [];
        const url = { pathname, search };
        // Path: every segment decodes back to its literal or argument, and none is a dot segment.
        expect(pathname.split("/")).not.toContain("..");
        expect(pathname.split("/")).not.toContain(".");
        const got = url.pathname.split("/").slice(2).map(decodeURIComponent);
        expect(got).toEqual(segs.map((s) => ("lit" in s ? s.lit : args.path[s.param])));
        // Query: parse per style.
        const raw = url.search
          .slice(1)
          .split("&")
          .filter(Boolean)
          .map((kv) => kv.split("=").map(decodeURIComponent) as [string, string]);
        for (const q of query) {
          const mine = raw.filter(([k]) => k === q.name || k.startsWith(`${q.name}[`));
          const want = args.query[q.name];
          if (q.kind === "scalar") expect(mine).toEqual([[q.name, want]]);
          else if (q.kind === "array-explode") expect(mine.map(([, v]) => v)).toEqual(want);
          else if (q.kind === "array-csv") expect(mine[0]![1].split(",")).toEqual(want);
          else if (q.kind === "array-pipe") expect(mine[0]![1].split("|")).toEqual(want);
          else
            expect(Object.fromEntries(mine.map(([k, v]) => [k.slice(q.name.length + 1, -1), v]))).toEqual(
              want,
            );
        }
      }),
      { numRuns: 300 },
    );
  });
});
