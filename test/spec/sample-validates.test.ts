import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/spec/load.js";
import { sampleOf } from "../../src/spec/schema-view.js";
import { validateBody } from "../../src/spec/validate.js";
import { ROOT } from "../helpers/spawn-server.js";

// --schema-sample must produce a body that passes the same validation --data gets.
const CORPUS = resolve(ROOT, "../shared/specs/corpus");
const docs = [
  ...readdirSync(CORPUS)
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .map((f) => join(CORPUS, f)),
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
