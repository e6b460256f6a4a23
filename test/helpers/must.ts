import type { Result } from "../../src/server/core/errors.js";

/** A core result's value; a refusal fails the test with its message (setup that must succeed). */
export function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`refused (${r.error.kind}): ${r.error.message}`);
  return r.value;
}
