import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runOpcliInProcess } from "../helpers/run-opcli.js";
import { type RunningServer, startServer } from "../helpers/spawn-server.js";

// From a running opcli-server to a working profile in one command (issue 23, day one).

let s: RunningServer;
beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024 });
});
afterAll(async () => s?.stop());

const credentials = () => join(s.dir, "admin-client.json");

describe("opcli config init", () => {
  it("writes a profile from the server's admin-client.json, checks it gets a token, and makes it the default", async () => {
    const env = isolatedEnv();
    const init = await runOpcliInProcess(
      ["config", "init", "--profile", "local", "--host", s.url, "--credentials", credentials()],
      { env },
    );
    expect([init.code, init.stderr]).toEqual([0, expect.stringContaining('profile "local" written')]);
    expect(init.stderr).toContain("signed in");
    expect(init.stdout + init.stderr).not.toContain(s.admin.client_secret);
    // Nothing else given: the default profile serves the next command.
    const listed = await runOpcliInProcess(["--operation-id", "get-sessions", "-o", "json"], { env });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toHaveProperty("entries");
    const config = JSON.parse(readFileSync(join(env.HOME!, ".config/opcli/config.json"), "utf8"));
    expect(config).toMatchObject({ defaultProfile: "local", profiles: { local: { host: s.url } } });
  });

  it("refuses a missing flag or a file that is not a credentials file, in one line, exit 2", async () => {
    const env = isolatedEnv();
    const bogus = join(env.HOME!, "bogus.json");
    writeFileSync(bogus, '{"nope": 1}');
    for (const args of [
      ["config", "init", "--host", s.url],
      ["config", "init", "--credentials", credentials()],
      ["config", "init", "--host", s.url, "--credentials", bogus],
      ["config", "init", "--host", s.url, "--credentials", join(env.HOME!, "missing.json")],
    ]) {
      const r = await runOpcliInProcess(args, { env });
      expect([r.code, r.stderr.trim().split("\n")]).toEqual([
        2,
        [expect.stringMatching(/^opcli: .*(--host|--credentials)/)],
      ]);
    }
  });

  it("a credentials file with a wrong secret fails the check with the auth exit code", async () => {
    const env = isolatedEnv();
    const wrong = join(env.HOME!, "wrong.json");
    writeFileSync(wrong, JSON.stringify({ client_id: s.admin.client_id, client_secret: "not-the-secret" }));
    const r = await runOpcliInProcess(
      ["config", "init", "--profile", "x", "--host", s.url, "--credentials", wrong],
      {
        env,
      },
    );
    expect(r.code).toBe(4);
  });
});
