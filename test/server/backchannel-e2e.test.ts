import { execFileSync } from "node:child_process";
import type { JSONWebKeySet } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { type Receiver, startReceiver } from "../helpers/backchannel-receiver.js";
import {
  adminToken,
  loginOverHttp,
  type RunningServer,
  SERVER_BIN,
  startServer,
} from "../helpers/spawn-server.js";

// The outbox against a real process: the intent to tell each RP is written with the ending, so a
// kill -9 between the ending and the delivery loses none of them.

const PASSWORD = "a-long-enough-password";
const ISSUER = ["--issuer", "http://opcli-e2e.test/jans-auth"];
const CONFIG = { outboxLease: 1000, outboxRetryBase: 200, outboxPollInterval: 100, passwordHashCost: 1024 };

let s: RunningServer | undefined;
let rx: Receiver | undefined;
afterEach(async () => {
  await s?.stop("SIGKILL");
  await rx?.close();
});

const cli = (db: string, args: string[], input?: string) =>
  execFileSync(process.execPath, [SERVER_BIN, ...args, "--db", db], {
    encoding: "utf8",
    ...(input ? { input } : {}),
  });

/** A session of alice's that gave each RP an id_token (a code with openid). */
async function signedInAt(server: RunningServer, rps: Rp[]): Promise<string> {
  const login = await loginOverHttp(server, "alice", PASSWORD);
  const cookie = /session_id=([^;]+)/.exec(login.headers.get("set-cookie") ?? "")![1]!;
  for (const rp of rps) {
    const q = new URLSearchParams({
      response_type: "code",
      client_id: rp.id,
      redirect_uri: `https://${rp.name}.example/cb`,
      scope: "openid",
      state: "s",
    });
    const res = await fetch(`${server.url}/jans-auth/restv1/authorize?${q}`, {
      headers: { cookie: `session_id=${cookie}` },
      redirect: "manual",
    });
    expect(res.headers.get("location")).toContain("code=");
  }
  return cookie;
}

async function until(what: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !what(); ) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Rp {
  name: string;
  id: string;
}

describe("back-channel logout across a kill -9", () => {
  it("every logout intent written with the ending reaches its RP once the server is back, each once", async () => {
    s = await startServer(CONFIG, undefined, ISSUER);
    const { db, dir } = s;
    let current = s;
    rx = await startReceiver({
      issuer: ISSUER[1]!,
      jwks: async () => (await (await fetch(`${current.url}/jans-auth/restv1/jwks`)).json()) as JSONWebKeySet,
      now: () => Date.now(),
    });
    cli(db, ["user", "create", "--username", "alice", "--password-stdin"], PASSWORD);
    const rps: Rp[] = [];
    for (const name of ["rp1", "rp2", "rp3"]) {
      const args = [
        "client",
        "create",
        "--name",
        name,
        "--scopes",
        "openid",
        "--redirect-uri",
        `https://${name}.example/cb`,
      ];
      const made = JSON.parse(cli(db, args)) as { client_id: string };
      cli(db, [
        "client",
        "update",
        "--client-id",
        made.client_id,
        "--backchannel-logout-uri",
        `${rx.url}/rp/${made.client_id}`,
      ]);
      rps.push({ name, id: made.client_id });
    }
    for (let i = 0; i < 3; i++) await signedInAt(current, rps);
    rx.hold = true;
    const token = await adminToken(current);
    const users = await fetch(`${current.url}/api/admin/users?search=alice`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const alice = ((await users.json()) as { items: { id: string }[] }).items[0]!.id;
    const ended = await fetch(`${current.url}/api/admin/sessions?userId=${alice}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ended.status).toBe(200);
    // Deliveries are under way (claimed, unanswered) when the server dies.
    await until(() => rx!.held > 0, 5000);
    await current.stop("SIGKILL");
    rx.hold = false;
    current = await startServer(CONFIG, dir, ISSUER);
    s = current;
    // Three sessions, each at three RPs: nine logouts, none lost, none twice.
    await until(() => rx!.accepted.length >= 9, 15_000);
    expect(rx.refused).toEqual([]);
    const sids = new Set(rx.accepted.map((a) => a.sid));
    expect(sids.size).toBe(3);
    const expected = new Set([...sids].flatMap((sid) => rps.map((rp) => `${rp.id} ${sid}`)));
    expect(new Set(rx.accepted.map((a) => `${a.aud} ${a.sid}`))).toEqual(expected);
    expect(rx.accepted).toHaveLength(9);
  });
});
