import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appTransport, runInProcess, testEnv } from "../helpers/cli-io.js";
import { addUser, type Harness, harness } from "../helpers/server-harness.js";

// Identifiers you see are identifiers you can type: on a terminal, tables never cut SIDs or user
// names, -o wide adds columns, and the KEY/VALUE view of one session cuts nothing.

let h: Harness;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  h = await harness();
  await addUser(h, "a-user-with-a-rather-long-name-007");
  for (let i = 0; i < 3; i++) expect((await h.login("a-user-with-a-rather-long-name-007")).status).toBe(200);
  env = testEnv({ OPCLI_HOST: "http://ref.test", OPCLI_ACCESS_TOKEN: await h.token() });
});
afterAll(async () => h.close());

const run = (argv: string[], tty = true) =>
  runInProcess(argv, { env, transport: appTransport(h.app), stdoutTTY: tty });

async function sessions(): Promise<{ sid: string; dn: string; userDn: string }[]> {
  const r = await run(["--operation-id", "get-sessions"], false);
  return (JSON.parse(r.stdout) as { entries: { sid: string; dn: string; userDn: string }[] }).entries;
}

describe("tables on a terminal", () => {
  it("-o table shows every SID and user name whole (80 columns)", async () => {
    const r = await run(["--operation-id", "get-sessions", "-o", "table"]);
    expect(r.code).toBe(0);
    for (const s of await sessions()) expect(r.stdout).toContain(s.sid);
    expect(r.stdout).toContain("a-user-with-a-rather-long-name-007");
  });

  it("-o wide adds columns (last used, acr, user agent, user DN), it does not only uncut them", async () => {
    const table = await run(["--operation-id", "get-sessions", "-o", "table"]);
    const wide = await run(["--operation-id", "get-sessions", "-o", "wide"]);
    const header = (out: string) => out.split("\n")[0]!;
    for (const h of ["LAST USED", "ACR", "USER AGENT", "USER DN"]) {
      expect(header(wide.stdout)).toContain(h);
      expect(header(table.stdout)).not.toContain(h);
    }
  });

  it("the KEY/VALUE view of one session cuts nothing", async () => {
    const [s] = await sessions();
    const r = await run([
      "--operation-id",
      "get-session-by-id",
      "--url-suffix",
      `sid:${s!.sid}`,
      "-o",
      "table",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(s!.dn);
    expect(r.stdout).toContain(s!.userDn);
    expect(r.stdout).not.toContain("…");
  });
});
