import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appTransport, runInProcess, testEnv } from "../helpers/cli-io.js";
import { addUser, type Harness, harness } from "../helpers/server-harness.js";

// Every flag means the same in --batch as for one request: --dry-run sends nothing that changes,
// and flags a batch cannot honour are refused (exit 2) rather than ignored.

let h: Harness;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  h = await harness();
  await addUser(h, "carol");
  for (let i = 0; i < 3; i++) expect((await h.login("carol")).status).toBe(200);
  env = testEnv({ OPCLI_HOST: "http://ref.test", OPCLI_ACCESS_TOKEN: await h.token() });
});
afterAll(async () => h.close());

const run = (argv: string[], stdin?: string) =>
  runInProcess(argv, { env, transport: appTransport(h.app), ...(stdin !== undefined ? { stdin } : {}) });

async function sids(): Promise<string[]> {
  const r = await run(["--operation-id", "search-session", "--all", "-o", "ndjson"]);
  expect(r.code).toBe(0);
  return r.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { sessionAttributes: { sid: string } }).sessionAttributes.sid);
}

const deletes = (ids: string[]) =>
  `${ids.map((sid) => JSON.stringify({ operationId: "delete-session", urlSuffix: { sid } })).join("\n")}\n`;

describe("--batch --dry-run", () => {
  it("reports each line's request and sends no change: the sessions are all still there", async () => {
    const before = await sids();
    expect(before.length).toBe(3);
    const file = join(env.HOME!, "dry.ndjson");
    writeFileSync(file, deletes(before.slice(0, 2)));
    const r = await run(["--batch", file, "--dry-run"]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { ok: boolean; body: { dryRun: boolean; request: { method: string } } });
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l.body).toMatchObject({ dryRun: true, request: { method: "DELETE" } });
    expect((await sids()).sort()).toEqual([...before].sort());
  });

  it("honours -o with --dry-run", async () => {
    const [sid] = await sids();
    const r = await run(["--batch", "-", "--dry-run", "-o", "json"], deletes([sid!]));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    expect(await sids()).toContain(sid);
  });

  it.each([["--curl"], ["--all"], ["--operation-id", "get-sessions"], ["--data", "{}"]])(
    "refuses %s with exit 2 and sends nothing",
    async (...flag) => {
      const before = await sids();
      const r = await run(["--batch", "-", ...flag], deletes(before.slice(0, 1)));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^opcli: ${flag[0]} does not go with --batch`));
      expect((await sids()).length).toBe(before.length);
    },
  );
});
