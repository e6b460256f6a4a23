import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runOpcliInProcess } from "../helpers/run-opcli.js";
import { ROOT, type RunningServer, SERVER_BIN, startServer } from "../helpers/spawn-server.js";

// opcli manages Shared Signals streams from spec/ssf.yaml alone, by operation ID (no SSF code in
// the CLI): opcli in process against a spawned server.

const SPEC = join(ROOT, "spec/ssf.yaml");
let s: RunningServer;
let env: Record<string, string>;

const ssf = (...args: string[]) =>
  runOpcliInProcess(["--spec", SPEC, "--host", `${s.url}/ssf`, ...args], { env });

beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024 });
  const out = execFileSync(process.execPath, [
    SERVER_BIN,
    "client",
    "create",
    "--name",
    "receiver",
    "--scopes",
    "ssf.stream",
    "--db",
    s.db,
  ]);
  const c = JSON.parse(out.toString()) as { client_id: string; client_secret: string };
  env = isolatedEnv({ OPCLI_CLIENT_ID: c.client_id, OPCLI_CLIENT_SECRET: c.client_secret });
});
afterAll(() => s?.stop());

describe("opcli on spec/ssf.yaml", () => {
  it("creates a poll stream, adds a subject, asks for verification, polls it, and deletes the stream", async () => {
    const data = JSON.stringify({
      delivery: { method: "urn:ietf:rfc:8936" },
      events_requested: ["https://schemas.openid.net/secevent/ssf/event-type/verification"],
    });
    const made = await ssf("--operation-id", "create-stream", "--data", data);
    expect(made.code, made.stderr).toBe(0);
    const id = (JSON.parse(made.stdout) as { stream_id: string }).stream_id;
    const subject = JSON.stringify({ stream_id: id, subject: { format: "email", email: "a@example.org" } });
    expect((await ssf("--operation-id", "add-subject", "--data", subject)).code).toBe(0);
    const verify = await ssf(
      "--operation-id",
      "verify-stream",
      "--data",
      JSON.stringify({ stream_id: id, state: "cli" }),
    );
    expect(verify.code, verify.stderr).toBe(0);
    const polled = await ssf(
      "--operation-id",
      "poll-stream",
      "--url-suffix",
      `stream_id:${id}`,
      "--data",
      "{}",
    );
    expect(polled.code, polled.stderr).toBe(0);
    expect(Object.keys((JSON.parse(polled.stdout) as { sets: object }).sets)).toHaveLength(1);
    const status = await ssf("--operation-id", "get-stream-status", "--endpoint-args", `stream_id:${id}`);
    expect(JSON.parse(status.stdout)).toEqual({ stream_id: id, status: "enabled" });
    expect((await ssf("--operation-id", "delete-stream", "--endpoint-args", `stream_id:${id}`)).code).toBe(0);
    expect((await ssf("--operation-id", "get-stream", "--endpoint-args", `stream_id:${id}`)).code).not.toBe(
      0,
    );
  });
});
