import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/spawn-server.js";

// docs/security.md names a test on every row; each must exist, so the document stays true.

const doc = readFileSync(join(ROOT, "docs/security.md"), "utf8");
const refs = [...doc.matchAll(/`(test\/[^`]+\.ts)` › "([^"]+)"/g)].map((m) => ({ file: m[1]!, name: m[2]! }));
const asvsRows = [...doc.matchAll(/^\| (7\.\d\.\d) \|/gm)].map((m) => m[1]);

describe("docs/security.md", () => {
  it("has a row for every requirement of ASVS 5.0 V7, 7.1.1 to 7.6.2", () => {
    expect(asvsRows).toEqual([
      "7.1.1",
      "7.1.2",
      "7.1.3",
      "7.2.1",
      "7.2.2",
      "7.2.3",
      "7.2.4",
      "7.3.1",
      "7.3.2",
      "7.4.1",
      "7.4.2",
      "7.4.3",
      "7.4.4",
      "7.4.5",
      "7.5.1",
      "7.5.2",
      "7.5.3",
      "7.6.1",
      "7.6.2",
    ]);
  });

  it.each(refs)("names a test that exists: $file › $name", ({ file, name }) => {
    const text = readFileSync(join(ROOT, file), "utf8");
    expect(text).toContain(JSON.stringify(name).slice(1, -1));
  });
});
