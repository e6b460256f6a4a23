import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sweepOnce } from "../../src/server/core/sweeper.js";
import type { SessionEvent } from "../../src/server/store/types.js";
import { TestBrowser } from "../helpers/browser.js";
import { addUser, cookieOf, type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

// Session events: the audit table (each with its actor) and the signed webhooks.

let h: Harness | undefined;
let receiver: Server | undefined;
afterEach(async () => {
  await h?.close();
  receiver?.close();
});

const events = async (hh: Harness) =>
  (await hh.deps.events.list({ limit: 100, offset: 0 })).entries.reverse();

describe("the audit of session events", () => {
  it("records created, authenticated, used (sampled), ended, revoked and expired, each with its actor", async () => {
    h = await harness({ sessionUsedEventInterval: 60 });
    const hh = h;
    await addUser(hh, "alice");
    const portal = await hh.client("portal");
    const pre = cookieOf(await hh.app.request(`/jans-auth/restv1/authorize?client_id=${portal}`));
    const login = await hh.login("alice", { cookie: pre });
    const mine = cookieOf(login);
    const status = () =>
      hh.app.request("/jans-auth/restv1/session_status", { headers: { cookie: `session_id=${mine}` } });
    await status();
    hh.clock.advance(30_000);
    await status();
    hh.clock.advance(61_000);
    await status();
    await hh.app.request("/jans-auth/restv1/end_session", {
      method: "POST",
      headers: { cookie: `session_id=${mine}` },
    });
    const { sid } = (await (await hh.login("alice")).json()) as { sid: string };
    expect((await hh.api(`/sid/${sid}`, { method: "DELETE" })).status).toBe(204);
    await hh.login("alice");
    hh.clock.advance(3_601_000);
    await sweepOnce(hh.deps);
    const seen = (await events(hh)).map((e) => [e.type, e.actorType, e.actor]);
    expect(seen).toEqual([
      ["created", "user", null],
      ["authenticated", "user", "alice"],
      ["used", "user", null],
      ["ended", "user", "alice"],
      ["authenticated", "user", "alice"],
      ["revoked", "client", hh.admin.client_id],
      ["authenticated", "user", "alice"],
      ["expired", "system", null],
    ]);
    const all = await events(hh);
    expect(all[1]).toMatchObject({
      username: "alice",
      clientId: portal,
      detail: { replaced: expect.any(String) },
    });
  });
});

describe("webhooks", () => {
  it("deliver each event once, signed, retrying a receiver that fails at first", async () => {
    const received: { body: SessionEvent & { id: string }; signature: string; raw: string }[] = [];
    let failures = 0;
    receiver = createServer((req, res) => {
      let raw = "";
      req.on("data", (d) => {
        raw += d;
      });
      req.on("end", () => {
        // Every event's first delivery fails: the dispatcher must retry it.
        const body = JSON.parse(raw) as SessionEvent & { id: string };
        if (!seenOnce.has(body.id)) {
          seenOnce.add(body.id);
          failures++;
          res.writeHead(503).end();
          return;
        }
        received.push({ body, signature: String(req.headers["x-opcli-signature"]), raw });
        res.writeHead(204).end();
      });
    });
    const seenOnce = new Set<string>();
    await new Promise<void>((r) => receiver!.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const secret = "a-webhook-secret-of-some-length";
    h = await harness({ webhooks: [{ url, secret }] }, { webhookRetryBaseMs: 5 });
    await addUser(h, "alice");
    const browser = new TestBrowser(h.app);
    await browser.signIn(await browser.get("/jans-auth/login"), "alice", PASSWORD);
    await h.deps.webhooks.settled();
    expect(failures).toBe(1);
    expect(received.map((r) => r.body.type)).toEqual(["authenticated"]);
    const [{ signature, raw }] = received as [(typeof received)[number]];
    const [t, v1] = signature.split(",").map((p) => p.split("=")[1]!);
    expect(createHmac("sha256", secret).update(`${t}.${raw}`).digest("hex")).toBe(v1);
    expect(received[0]!.body).toMatchObject({ username: "alice", actorType: "user", actor: "alice" });
  });

  it("a receiver that is down delays nothing: requests answer while deliveries wait", async () => {
    let attempts = 0;
    const never = new Promise<{ status: number }>(() => {});
    h = await harness(
      { webhooks: [{ url: "http://127.0.0.1:9/down", secret: "a-webhook-secret-of-some-length" }] },
      {
        webhookIO: {
          fetch: () => {
            attempts++;
            return never;
          },
          sleep: async () => {},
          now: () => Date.now(),
        },
      },
    );
    await addUser(h, "alice");
    // Were delivery awaited, this would never answer.
    for (let i = 0; i < 3; i++) expect((await h.login("alice")).status).toBe(200);
    expect(attempts).toBe(3);
    expect((await events(h)).filter((e) => e.type === "authenticated")).toHaveLength(3);
  });
});
