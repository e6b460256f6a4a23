// Fails when src/generated/opcli-api.ts is not what openapi-typescript makes from spec/opcli.yaml.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = join(mkdtempSync(join(tmpdir(), "opcli-gen-")), "opcli-api.ts");
execFileSync(process.execPath, ["node_modules/openapi-typescript/bin/cli.js", "spec/opcli.yaml", "-o", out], {
  stdio: ["ignore", "ignore", "inherit"],
});
if (readFileSync(out, "utf8") !== readFileSync("src/generated/opcli-api.ts", "utf8")) {
  console.error("src/generated/opcli-api.ts is stale: run npm run gen:types and commit the result");
  process.exit(1);
}
console.log("generated types are up to date");
