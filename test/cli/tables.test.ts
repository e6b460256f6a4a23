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
    for (const h of ["LAST USED", "ABSOLUTE LIMIT", "ACR", "USER AGENT", "USER DN"]) {
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

async function adminSessions(x: Harness) {
  const headers = { authorization: `Bearer ${await x.token()}` };
  return (await (await x.app.request("/api/admin/sessions", { headers })).json()) as {
    items: { expiresAt: string; absoluteExpiresAt: string | null }[];
  };
}

describe("one expiry meaning everywhere", () => {
  const limits = { sessionIdLifetime: 86_400, sessionIdUnusedLifetime: 1_800 };

  it("every face's expiry is the earlier of idle and absolute; both limits in -o wide and the describe view", async () => {
    const x = await harness(limits);
    try {
      await addUser(x, "expiry-user");
      expect((await x.login("expiry-user")).status).toBe(200);
      x.clock.advance(600_000);
      const e = testEnv({ OPCLI_HOST: "http://ref.test", OPCLI_ACCESS_TOKEN: await x.token() });
      const go = (argv: string[], tty = false) =>
        runInProcess(argv, { env: e, transport: appTransport(x.app), stdoutTTY: tty });
      const config = JSON.parse((await go(["--operation-id", "get-sessions"])).stdout).entries[0];
      const admin = await adminSessions(x);
      const created = Date.parse(config.creationDate);
      const idle = Date.parse(config.lastUsedAt) + limits.sessionIdUnusedLifetime * 1000;
      const absolute = created + limits.sessionIdLifetime * 1000;
      expect(Date.parse(config.expirationDate)).toBe(Math.min(idle, absolute));
      expect(Date.parse(config.absoluteExpirationDate)).toBe(absolute);
      expect(Date.parse(admin.items[0]!.expiresAt)).toBe(Date.parse(config.expirationDate));
      expect(Date.parse(admin.items[0]!.absoluteExpiresAt ?? "")).toBe(absolute);
      const wide = await go(["--operation-id", "get-sessions", "-o", "wide"], true);
      expect(wide.stdout).toContain("ABSOLUTE LIMIT");
      expect(wide.stdout).toContain(config.absoluteExpirationDate);
      const one = await go(
        ["--operation-id", "get-session-by-id", "--url-suffix", `sid:${config.sid}`, "-o", "table"],
        true,
      );
      expect(one.stdout).toMatch(/expirationDate/);
      expect(one.stdout).toMatch(/absoluteExpirationDate/);
    } finally {
      await x.close();
    }
  });

  it("a session with no absolute lifetime has no absolute limit, and its expiry is the idle one", async () => {
    const x = await harness({ ...limits, sessionIdLifetime: -1 });
    try {
      await addUser(x, "forever-user");
      expect((await x.login("forever-user")).status).toBe(200);
      const e = testEnv({ OPCLI_HOST: "http://ref.test", OPCLI_ACCESS_TOKEN: await x.token() });
      const r = await runInProcess(["--operation-id", "get-sessions"], {
        env: e,
        transport: appTransport(x.app),
      });
      const s = JSON.parse(r.stdout).entries[0];
      expect(s.absoluteExpirationDate).toBeUndefined();
      expect(Date.parse(s.expirationDate)).toBe(Date.parse(s.lastUsedAt) + 1_800_000);
      const admin = await adminSessions(x);
      expect(admin.items[0]!.absoluteExpiresAt).toBeNull();
    } finally {
      await x.close();
    }
  });
});
