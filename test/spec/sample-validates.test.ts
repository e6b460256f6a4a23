import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/spec/load.js";
import { sampleOf } from "../../src/spec/schema-view.js";
import { validateBody } from "../../src/spec/validate.js";
import { ROOT } from "../helpers/spawn-server.js";

// --schema-sample must produce a body that passes the same validation --data gets, for every
// operation of every document in ../shared/specs (the corpus and Janssen's own document).
const SHARED = resolve(ROOT, "../shared/specs");
const docs = [
  ...readdirSync(SHARED, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .map((f) => join(SHARED, f)),
  join(ROOT, "spec/opcli.yaml"),
  join(ROOT, "spec/pingam-sessions.yaml"),
  // The rule documents of test/golden/rules, ours.
  ...readdirSync(join(ROOT, "test/golden/rules"), { recursive: true, encoding: "utf8" })
    .filter((f) => /openapi\.(json|ya?ml)$/.test(f))
    .map((f) => join(ROOT, "test/golden/rules", f)),
];

describe("--schema-sample", () => {
  it("produces a body that validates, for every JSON body in the corpus and our spec", async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const file of docs) {
      const model = await loadModel(readFileSync(file, "utf8"), file, { toolVersion: "sample" });
      for (const op of model.operations) {
        if (!op.body?.mediaTypes.some((t) => /[/+]json\b/.test(t))) continue;
        checked++;
        const sample = sampleOf(model.schemas, op.body.schema);
        const problems = await validateBody(model.openapi, op.body.schema, model.schemas, sample);
        if (problems.length) failures.push(`${op.id}: ${problems[0]!.pointer} ${problems[0]!.message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });
});

describe("sampleOf honours the schema's constraints", () => {
  const oneOfObject = {
    type: "object",
    required: ["kind", "size"],
    properties: { kind: { type: "string", enum: ["a", "b"] } },
    oneOf: [{ properties: { size: { type: "integer", minimum: 3 } }, required: ["size"] }],
  };
  it.each<[string, Record<string, unknown>, (v: unknown) => boolean]>([
    [
      "pattern (Twilio's SIDs)",
      { type: "string", pattern: "^AC[0-9a-fA-F]{32}$" },
      (v) => /^AC[0-9a-fA-F]{32}$/.test(String(v)),
    ],
    [
      "pattern and maxLength",
      { type: "string", pattern: "^[a-z]+-[0-9]{2}$", maxLength: 6 },
      (v) => /^[a-z]+-[0-9]{2}$/.test(String(v)) && String(v).length <= 6,
    ],
    ["maxLength", { type: "string", maxLength: 3 }, (v) => String(v).length <= 3],
    [
      "minItems",
      { type: "array", items: { type: "string" }, minItems: 3 },
      (v) => (v as unknown[]).length === 3,
    ],
    [
      "maxItems 0",
      { type: "array", items: { type: "string" }, maxItems: 0 },
      (v) => (v as unknown[]).length === 0,
    ],
    [
      "uniqueItems",
      { type: "array", items: { type: "integer" }, minItems: 2, uniqueItems: true },
      (v) => new Set(v as unknown[]).size === 2,
    ],
    [
      "oneOf beside properties",
      oneOfObject,
      (v) => (v as { size: number }).size === 3 && (v as { kind: string }).kind === "a",
    ],
    [
      "anyOf objects",
      { anyOf: [{ type: "object", required: ["x"], properties: { x: { type: "boolean" } } }] },
      (v) => (v as { x: unknown }).x === false,
    ],
    ["exclusiveMinimum (3.1)", { type: "integer", exclusiveMinimum: 5 }, (v) => v === 6],
    ["negative maximum", { type: "number", maximum: -2 }, (v) => (v as number) <= -2],
    ["multipleOf", { type: "integer", minimum: 1, multipleOf: 7 }, (v) => v === 7],
    [
      "format byte",
      { type: "string", format: "byte" },
      (v) => Buffer.from(String(v), "base64").toString("base64") === v,
    ],
    [
      "format date-time",
      { type: "string", format: "date-time" },
      (v) => !Number.isNaN(Date.parse(String(v))),
    ],
    ["format email", { type: "string", format: "email" }, (v) => /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(String(v))],
    [
      "format uuid",
      { type: "string", format: "uuid" },
      (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(String(v)),
    ],
    ["format uri", { type: "string", format: "uri" }, (v) => URL.canParse(String(v))],
  ])("%s", async (_name, schema, ok) => {
    const v = sampleOf({}, schema);
    expect(ok(v), JSON.stringify(v)).toBe(true);
    expect(await validateBody("3.1.0", schema, {}, v)).toEqual([]);
    // The same sample every time.
    expect(sampleOf({}, schema)).toEqual(v);
  });
});

describe("validateBody", () => {
  const schemas = {
    Pet: {
      type: "object",
      required: ["name"],
      properties: { name: { type: "string" }, tag: { type: "string", nullable: true } },
    },
    Cat: {
      type: "object",
      required: ["kind"],
      properties: { kind: { type: "string" }, lives: { type: "integer" } },
    },
    Dog: {
      type: "object",
      required: ["kind"],
      properties: { kind: { type: "string" }, bark: { type: "boolean" } },
    },
  };
  const pet = { $ref: "#/components/schemas/Pet" };
  const animal = {
    oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }],
    discriminator: { propertyName: "kind" },
  };
  it.each([
    ["3.0.3", pet, { name: "rex" }, []],
    ["3.0.3", pet, { name: "rex", tag: null }, []],
    ["3.1.0", pet, { name: 7 }, ["/name must be string"]],
    ["3.0.3", pet, {}, ["/ must have required property 'name'"]],
    ["3.0.3", animal, { kind: "cat", lives: 9 }, []],
    ["3.0.3", animal, { lives: 9 }, ["/ must have required property 'kind'"]],
  ])("%s %j %j", async (openapi, schema, data, expected) => {
    const problems = await validateBody(openapi, schema, schemas, data);
    expect(problems.map((p) => `${p.pointer} ${p.message}`).slice(0, 1)).toEqual(expected);
  });
});
