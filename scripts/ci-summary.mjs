// Prints vitest's JSON results as the plain closing line the CI harness reads.
import { readFileSync } from "node:fs";

let r;
try {
  r = JSON.parse(readFileSync(process.argv[2], "utf8"));
} catch (err) {
  console.log(`no test results (${err.message})`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const failed =
  r.numFailedTests +
  (r.numRuntimeErrorTestSuites ?? 0) +
  (r.numFailedTestSuites && !r.numFailedTests ? 1 : 0);
console.log(
  `${r.numPassedTests} passed, ${failed} failed${r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""}`,
);
process.exit(failed > 0 || r.numPassedTests === 0 ? 1 : 0);
