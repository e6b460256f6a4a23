import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/spec/load.js";
import { whyNoScreen } from "../../src/tui/screens.js";
import { appTransport, runInProcess, testEnv } from "../helpers/cli-io.js";
import { addUser, type Harness, harness } from "../helpers/server-harness.js";
import { ROOT } from "../helpers/spawn-server.js";

// Janssen's document (which we do not edit) behaves through its shipped overlay as our own
// document does through its hints; the same overlay given with --overlay hints a renamed copy.

const JANS = resolve(ROOT, "../shared/specs/jans-config-api.yaml");
const OVERLAY = resolve(ROOT, "spec/overlays/jans-config-api.yaml");
const HOST = "http://ref.test/jans-config-api";

let h: Harness;
let env: Record<string, string | undefined>;
let renamed: string;
beforeAll(async () => {
  h = await harness();
  await addUser(h, "alice");
  await addUser(h, "bob");
  for (const u of ["alice", "alice", "bob"]) expect((await h.login(u)).status).toBe(200);
  env = testEnv({ OPCLI_HOST: HOST, OPCLI_ACCESS_TOKEN: await h.token() });
  // A copy the shipped overlay does not match: another title, another file name.
  renamed = join(mkdtempSync(join(tmpdir(), "opcli-hints-")), "config.yaml");
  writeFileSync(
    renamed,
    readFileSync(JANS, "utf8").replace("title: Jans Config API", "title: Some Config API"),
  );
});
afterAll(async () => h.close());

const run = (argv: string[]) => runInProcess(argv, { env, transport: appTransport(h.app) });
const search = (spec: string, ...more: string[]) => [
  "--spec",
  spec,
  "--operation-id",
  "search-session",
  ...more,
];

describe("hints from overlays", () => {
  it("Janssen's document: a fieldValuePair typo is refused before sending (its x-opcli-filter)", async () => {
    const r = await run(search(JANS, "--endpoint-args", "fieldValuePair:auth_user=a\\,bad"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /fieldValuePair: pair "bad" has no operator .*\(at offset 12 of "auth_user=a,bad"\)/,
    );
  });

  it("Janssen's document: the table's footer and --all read the total where its x-opcli-paging says", async () => {
    const table = await run(search(JANS, "-o", "table", "--endpoint-args", "limit:2"));
    expect(table.code).toBe(0);
    expect(table.stderr).toContain("opcli: 2 of 3 (from 0); --all for every one");
    const all = await run(search(JANS, "--all", "--page-size", "2", "-o", "ndjson"));
    expect(all.code).toBe(0);
    expect(all.stdout.trim().split("\n")).toHaveLength(3);
  });

  it("a document the shipped overlay does not match gets no hints; --overlay gives them", async () => {
    const plain = await run(search(renamed, "-o", "table", "--endpoint-args", "limit:2"));
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toContain("of 3");
    const unchecked = await run(search(renamed, "--endpoint-args", "fieldValuePair:auth_user=a\\,bad"));
    expect(unchecked.code).not.toBe(2);
    const hinted = await run(
      search(renamed, "--overlay", OVERLAY, "--endpoint-args", "fieldValuePair:auth_user=a\\,bad"),
    );
    expect(hinted.code).toBe(2);
    expect(hinted.stderr).toMatch(/fieldValuePair: pair "bad" has no operator/);
    const footer = await run(
      search(renamed, "--overlay", OVERLAY, "-o", "table", "--endpoint-args", "limit:2"),
    );
    expect(footer.stderr).toContain("opcli: 2 of 3 (from 0)");
  });

  it("--overlay needs --spec, and an unreadable one is one line naming it", async () => {
    const bundled = await run(["--overlay", OVERLAY, "--operation-id", "get-sessions"]);
    expect([bundled.code, bundled.stderr]).toEqual([
      2,
      "opcli: --overlay applies to a document given with --spec (or OPCLI_SPEC)\n",
    ]);
    const missing = await run(search(renamed, "--overlay", "/nonexistent/hints.yaml"));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/^opcli: .*cannot read overlay \/nonexistent\/hints\.yaml: ENOENT\n$/);
  });
});

describe("the TUI's screens come from x-opcli-screen", () => {
  it("Janssen's document has its sessions screen through the overlay; a renamed copy says what it lacks", async () => {
    const opts = { toolVersion: "test" };
    const jans = await loadModel(readFileSync(JANS, "utf8"), JANS, opts);
    expect(whyNoScreen(jans.operations)).toBeUndefined();
    const copy = await loadModel(readFileSync(renamed, "utf8"), renamed, opts);
    expect(whyNoScreen(copy.operations)).toMatch(
      /^opcli tui needs a screen: an operation marked x-opcli-screen with role list/,
    );
    const hinted = await loadModel(readFileSync(renamed, "utf8"), renamed, { ...opts, overlays: [OVERLAY] });
    expect(whyNoScreen(hinted.operations)).toBeUndefined();
    expect(whyNoScreen(hinted.operations.filter((o) => o.id !== "search-session"))).toMatch(
      /^opcli tui needs a list for each screen: this document marks sessions \(remove\), sessions \(revoke\) but no operation with x-opcli-screen role list/,
    );
  });
});
