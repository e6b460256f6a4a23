#!/usr/bin/env node
// Validates our OpenAPI documents with Redocly's linter (its "recommended" rules): an error
// fails CI, a warning is printed. Usage: node scripts/lint-specs.mjs [FILE...] (default: spec/*.yaml).
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createConfig, lint } from "@redocly/openapi-core";

const files = process.argv.slice(2);
const refs =
  files.length > 0
    ? files
    : readdirSync("spec")
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join("spec", f));
const config = await createConfig({ extends: ["recommended"] });
let errors = 0;
for (const ref of refs) {
  const problems = await lint({ ref, config });
  for (const p of problems) {
    if (p.severity === "error") errors++;
    console.log(`${ref}: ${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? "?"}`);
  }
}
console.log(`${refs.length} document(s), ${errors} error(s)`);
process.exit(errors > 0 ? 1 : 0);
