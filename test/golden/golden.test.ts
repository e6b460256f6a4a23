import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { placementFor } from "../../src/auth/placement.js";
import { infoText } from "../../src/cli/commands/info.js";
import { formatArgPairs } from "../../src/client/arg-pairs.js";
import { loadModel, parseDocument } from "../../src/spec/load.js";
import type { ApiModel, OperationModel, ParamModel, ParamSchema } from "../../src/spec/model.js";
import { sampleOf } from "../../src/spec/schema-view.js";
import { type EchoServer, type Recorded, startEcho } from "../helpers/echo-server.js";
import { isolatedEnv, runOpcliInProcess } from "../helpers/run-opcli.js";
import { ROOT } from "../helpers/spawn-server.js";

// Golden tests over the shared corpus: for each document, the operation list, and the exact
// request opcli sends for generated arguments to a sample of its operations. Adding a document
// needs no code: put it in ../shared/specs/corpus and run
//   GOLDEN_UPDATE=1 npx vitest run test/golden
// then review the new folder under test/golden/ before committing it.

const CORPUS = resolve(ROOT, "../shared/specs/corpus");
const GOLDEN = join(ROOT, "test/golden");
const UPDATE = process.env.GOLDEN_UPDATE === "1";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const docs = readdirSync(CORPUS)
  .filter((f) => /\.(json|ya?ml)$/.test(f))
  .sort();

interface GoldenRequest {
  operationId: string;
  args: string[];
  request: { method: string; url: string; headers: Record<string, string>; body: string };
}

let echo: EchoServer;
beforeAll(async () => {
  echo = await startEcho();
  echo.respond = () => ({ status: 200, body: "{}" });
});
afterAll(async () => echo?.close());

function typeOf(s: ParamSchema): string {
  return (Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type) ?? "string";
}

/** A deterministic value for a parameter, with characters that need encoding in strings. */
function valuesFor(p: ParamModel): string[] {
  const t = typeOf(p.schema);
  const scalar = (s: ParamSchema, i: number): string => {
    if (s.enum?.length) return String(s.enum[i % s.enum.length]);
    const st = typeOf(s);
    if (st === "integer" || st === "number") return String(7 + i);
    if (st === "boolean") return "true";
    // A value the document's pattern allows: opcli refuses any other before sending.
    if (s.pattern !== undefined) return String(sampleOf({}, { type: "string", pattern: s.pattern }));
    return `v ${p.name}/${i}`;
  };
  if (t === "array") return [scalar(p.schema.items ?? {}, 0), scalar(p.schema.items ?? {}, 1)];
  if (t === "object") return [JSON.stringify({ a: "1", b: "x y" })];
  return [scalar(p.schema, 0)];
}

/** Every required parameter, plus up to two optional ones (query first, then headers). */
function argsFor(model: ApiModel, op: OperationModel): string[] {
  const optional = op.params.filter((p) => !p.required && !p.credential);
  const chosen = [
    ...op.params.filter((p) => p.required),
    ...optional.filter((p) => p.in === "query").slice(0, 1),
    ...optional
      .filter((p) => p.in === "header" && !/^(accept|content-type|authorization)$/i.test(p.name))
      .slice(0, 1),
  ];
  const path = chosen.filter((p) => p.in === "path");
  const rest = chosen.filter((p) => p.in !== "path");
  const args = ["--operation-id", op.id];
  if (path.length)
    args.push("--url-suffix", formatArgPairs(path.map((p) => ({ key: p.name, value: valuesFor(p)[0]! }))));
  if (rest.length)
    args.push(
      "--endpoint-args",
      formatArgPairs(rest.flatMap((p) => valuesFor(p).map((value) => ({ key: p.name, value })))),
    );
  if (op.body) {
    const type =
      op.body.mediaTypes.find((t) => /json/.test(t)) ?? op.body.mediaTypes[0] ?? "application/json";
    const sample = sampleOf(model.schemas, op.body.schema);
    const data = /multipart/.test(type)
      ? JSON.stringify(
          Object.fromEntries(Object.keys((sample as Record<string, unknown>) ?? {}).map((k) => [k, "part"])),
        )
      : /json|form/.test(type)
        ? JSON.stringify(sample)
        : "raw body bytes";
    args.push("--content-type", type, "--data", data, "--no-validate");
  }
  return args;
}

/** Up to 12 operations spread over the document (all of them for small ones). */
function sample(ops: OperationModel[]): OperationModel[] {
  if (ops.length <= 12) return ops;
  const step = ops.length / 12;
  return Array.from({ length: 12 }, (_, i) => ops[Math.floor(i * step)]!);
}

function recorded(r: Recorded, op: OperationModel): GoldenRequest["request"] {
  const keep = [
    "content-type",
    "accept",
    "cookie",
    "authorization",
    ...op.params.filter((p) => p.in === "header").map((p) => p.name.toLowerCase()),
  ];
  const headers: Record<string, string> = {};
  for (const k of keep) if (typeof r.headers[k] === "string") headers[k] = String(r.headers[k]);
  const boundary = /boundary=(\S+)/.exec(headers["content-type"] ?? "")?.[1];
  const norm = (s: string) => (boundary ? s.replaceAll(boundary, "BOUNDARY") : s);
  if (headers["content-type"]) headers["content-type"] = norm(headers["content-type"]);
  return { method: r.method, url: r.url, headers, body: norm(r.body) };
}

/** Operations counted straight from the document, independently of opcli's loader. */
async function countOperations(file: string): Promise<number> {
  const doc = await parseDocument(readFileSync(file, "utf8"), file);
  return Object.values((doc.paths ?? {}) as Record<string, Record<string, unknown>>).reduce(
    (n, item) => n + Object.keys(item).filter((k) => METHODS.includes(k)).length,
    0,
  );
}

describe.each(docs)("%s", (doc) => {
  const file = join(CORPUS, doc);
  const dir = join(GOLDEN, basename(doc).replace(/\.(json|ya?ml)$/, ""));

  it("lists every operation the document defines", async () => {
    const model = await loadModel(readFileSync(file, "utf8"), file, { toolVersion: "golden" });
    expect(model.operations).toHaveLength(await countOperations(file));
    const listing = `${model.operations.map((o) => `${o.method} ${o.path} ${o.id}`).join("\n")}\n`;
    const ids = model.operations.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    const golden = join(dir, "operations.txt");
    if (UPDATE) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(golden, listing);
    }
    expect(
      existsSync(golden),
      `no golden files for ${doc}: run GOLDEN_UPDATE=1 npx vitest run test/golden`,
    ).toBe(true);
    expect(listing).toBe(readFileSync(golden, "utf8"));
  });

  it("lists every operation under some group that --info names and accepts back", async () => {
    const model = await loadModel(readFileSync(file, "utf8"), file, { toolVersion: "golden" });
    const groups = infoText(model, "")
      .split("\n")
      .map((l) => /^ {2}(\S+) +\d+ {2}/.exec(l)?.[1])
      .filter((g): g is string => g !== undefined);
    const listed = new Set<string>();
    for (const g of groups)
      for (const m of infoText(model, g).matchAll(/^Operation ID: (\S+)$/gm)) listed.add(m[1]!);
    expect([...listed].sort()).toEqual(model.operations.map((o) => o.id).sort());
  });

  it("sends the exact golden request for a sample of operations", async () => {
    const model = await loadModel(readFileSync(file, "utf8"), file, { toolVersion: "golden" });
    const golden = join(dir, "requests.json");
    const expected: GoldenRequest[] = UPDATE ? [] : JSON.parse(readFileSync(golden, "utf8"));
    const ops = UPDATE
      ? sample(model.operations)
      : expected.map((g) => model.operations.find((o) => o.id === g.operationId)!);
    expect(ops.length).toBeGreaterThanOrEqual(Math.min(10, model.operations.length));
    const env = isolatedEnv({ OPCLI_ACCESS_TOKEN: "golden-token" });
    // HTTP basic credentials are user:password (RFC 7617); opcli refuses anything else.
    const basicEnv = { ...env, OPCLI_ACCESS_TOKEN: "golden-user:golden-token" };
    const actual: GoldenRequest[] = [];
    for (const [i, op] of ops.entries()) {
      const args = UPDATE ? argsFor(model, op) : expected[i]!.args;
      echo.requests.length = 0;
      const basic = placementFor(model, op)?.form === "basic";
      const r = await runOpcliInProcess(["--spec", file, "--host", echo.url, ...args], {
        env: basic ? basicEnv : env,
      });
      // Warnings, and the one-line result of a delete, are all a run may say.
      const said = r.stderr.replace(/^opcli: warning: .*\n/gm, "").replace(/^opcli: .*: done.*\n/gm, "");
      expect(said, `${op.id}: ${r.stderr}`).toBe("");
      expect(echo.requests).toHaveLength(1);
      actual.push({ operationId: op.id, args, request: recorded(echo.requests[0]!, op) });
    }
    if (UPDATE) writeFileSync(golden, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(readFileSync(golden, "utf8")));
  });
});
