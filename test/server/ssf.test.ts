import type { JSONWebKeySet } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { subjectOf } from "../../src/server/core/oauth/subject.js";
import { CREDENTIAL_CHANGE, SESSION_REVOKED, VERIFICATION } from "../../src/server/core/signals/intents.js";
import { must } from "../helpers/must.js";
import { addUser, cookieOf, type Harness, harness } from "../helpers/server-harness.js";
import {
  type PushReceiver,
  type ReceivedSet,
  startPushReceiver,
  validateSet,
} from "../helpers/ssf-receiver.js";

// The Shared Signals transmitter: a receiver makes its streams, adds subjects, and gets a
// verification event and CAEP session-revoked / credential-change, pushed (RFC 8935) or polled
// (RFC 8936), each SET validated.

const PUSH = "urn:ietf:rfc:8935";
const POLL = "urn:ietf:rfc:8936";
const EVENTS = [SESSION_REVOKED, CREDENTIAL_CHANGE, VERIFICATION];

let h: Harness;
let rx: PushReceiver;
let receiver: { id: string; token: string };
let alice: string;
let bob: string;

async function tokenOf(id: string, secret: string, scope: string): Promise<string> {
  const res = await h.app.request("/jans-auth/restv1/token", {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function newReceiver(name: string) {
  const c = must(await h.deps.clients.create(name, ["ssf.stream"]));
  return { id: c.client_id, token: await tokenOf(c.client_id, c.client_secret!, "ssf.stream") };
}

async function ssf(method: string, path: string, body?: unknown, token = receiver.token) {
  const res = await h.app.request(`/ssf${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

const validator = () => ({
  issuer: "test-issuer",
  audience: receiver.id,
  jwks: async () => (await (await h.app.request("/jans-auth/restv1/jwks")).json()) as JSONWebKeySet,
  now: () => h.clock.now(),
});

async function sessionOf(username: string): Promise<string> {
  const cookie = cookieOf(await h.login(username));
  return (await h.deps.sessions.byCookie(cookie, { secure: false }))!.sid;
}
const endSession = (sid: string) => h.api(`/sid/${sid}`, { method: "DELETE" });
const userSub = (dn: string) => ({ format: "iss_sub", iss: "test-issuer", sub: subjectOf(dn) });

beforeEach(async () => {
  h = await harness();
  receiver = await newReceiver("rx");
  rx = await startPushReceiver(validator(), "Bearer rx-secret");
  alice = await addUser(h, "alice");
  bob = await addUser(h, "bob");
});
afterEach(async () => {
  await rx.close();
  await h.close();
});

async function pushStream(): Promise<string> {
  const delivery = { method: PUSH, endpoint_url: rx.url, authorization_header: "Bearer rx-secret" };
  const made = await ssf("POST", "/streams", { delivery, events_requested: EVENTS, description: "test" });
  expect(made.status).toBe(201);
  return made.body.stream_id as string;
}

describe("SSF transmitter", () => {
  it("describes itself at /.well-known/ssf-configuration", async () => {
    const conf = (await (await h.app.request("/.well-known/ssf-configuration")).json()) as Record<
      string,
      unknown
    >;
    expect(conf).toMatchObject({
      spec_version: "1_0",
      issuer: "test-issuer",
      delivery_methods_supported: [PUSH, POLL],
      default_subjects: "NONE",
    });
    expect(String(conf.configuration_endpoint)).toMatch(/\/ssf\/streams$/);
  });

  it("names its keys and endpoints on the issuer's origin, whatever Host the request names", async () => {
    for (const url of [
      "http://evil.example/.well-known/ssf-configuration",
      "/.well-known/ssf-configuration",
    ]) {
      const res = await h.app.request(url, { headers: { host: "evil.example" } });
      const conf = (await res.json()) as Record<string, unknown>;
      const urls = Object.entries(conf).filter(([k]) => k.endsWith("_uri") || k.endsWith("_endpoint"));
      expect(urls.length).toBeGreaterThan(5);
      for (const [k, v] of urls) expect(String(v), k).toMatch(/^http:\/\/localhost\//);
    }
  });

  it("push: a verification event, then session-revoked for an added user and credential-change, each a valid SET", async () => {
    const id = await pushStream();
    expect((await ssf("GET", `/streams?stream_id=${id}`)).body).toMatchObject({
      stream_id: id,
      aud: receiver.id,
      delivery: { method: PUSH, endpoint_url: rx.url },
      events_delivered: EVENTS,
    });
    expect(JSON.stringify((await ssf("GET", `/streams?stream_id=${id}`)).body)).not.toContain("rx-secret");
    expect((await ssf("POST", "/verify", { stream_id: id, state: "st-1" })).status).toBe(204);
    expect((await ssf("POST", "/subjects/add", { stream_id: id, subject: userSub(alice) })).status).toBe(200);
    const sid = await sessionOf("alice");
    await sessionOf("bob");
    await endSession(sid);
    must(await h.deps.users.setPassword(alice, "another-long-password", { type: "admin", id: "t" }));
    await h.deps.outbox.drain();
    expect(rx.refused).toEqual([]);
    const byEvent = (e: string) => rx.received.filter((r) => r.event === e);
    expect(byEvent(VERIFICATION).map((r) => [r.subId, r.body])).toEqual([
      [{ format: "opaque", id }, { state: "st-1" }],
    ]);
    // Alice's only session, ended once; bob was never added, so nothing about him.
    expect(byEvent(SESSION_REVOKED).map((r) => [r.subId, r.body.initiating_entity])).toEqual([
      [userSub(alice), "admin"],
    ]);
    expect(
      byEvent(CREDENTIAL_CHANGE).map((r) => [r.subId, r.body.credential_type, r.body.change_type]),
    ).toEqual([[userSub(alice), "password", "update"]]);
    expect(new Set(rx.received.map((r) => r.jti)).size).toBe(rx.received.length);
  });

  it("a session subject gets the session named in sub_id; a removed subject gets nothing more", async () => {
    const id = await pushStream();
    const sid = await sessionOf("bob");
    const complex = { format: "complex", session: { format: "opaque", id: sid } };
    expect((await ssf("POST", "/subjects/add", { stream_id: id, subject: complex })).status).toBe(200);
    await endSession(sid);
    await h.deps.outbox.drain();
    expect(rx.received.map((r) => r.subId)).toEqual([
      { format: "complex", user: userSub(bob), session: { format: "opaque", id: sid } },
    ]);
    await ssf("POST", "/subjects/add", { stream_id: id, subject: userSub(bob) });
    expect((await ssf("POST", "/subjects/remove", { stream_id: id, subject: userSub(bob) })).status).toBe(
      204,
    );
    await endSession(await sessionOf("bob"));
    await h.deps.outbox.drain();
    expect(rx.received).toHaveLength(1);
  });

  it("poll: SETs wait for the receiver, come back until acknowledged, and page with moreAvailable", async () => {
    const made = await ssf("POST", "/streams", { delivery: { method: POLL }, events_requested: EVENTS });
    const id = made.body.stream_id as string;
    expect((made.body.delivery as Record<string, string>).endpoint_url).toMatch(
      new RegExp(`/ssf/poll/${id}$`),
    );
    await ssf("POST", "/verify", { stream_id: id, state: "p-1" });
    await ssf("POST", "/subjects/add", {
      stream_id: id,
      subject: { format: "email", email: "nobody@example.org" },
    });
    await ssf("POST", "/subjects/add", { stream_id: id, subject: userSub(alice) });
    await endSession(await sessionOf("alice"));
    await endSession(await sessionOf("alice"));
    await h.deps.outbox.drain();
    const poll = async (body: Record<string, unknown>) => {
      const r = await ssf("POST", `/poll/${id}`, body);
      expect(r.status).toBe(200);
      const sets = r.body.sets as Record<string, string>;
      const valid: ReceivedSet[] = [];
      for (const [jti, set] of Object.entries(sets)) {
        const v = await validateSet(set, validator());
        expect(v.jti).toBe(jti);
        valid.push(v);
      }
      return { valid, more: r.body.moreAvailable };
    };
    const first = await poll({ maxEvents: 2, returnImmediately: true });
    expect([first.more, first.valid.length]).toEqual([true, 2]);
    const again = await poll({ maxEvents: 2, returnImmediately: true });
    expect(again.valid.map((v) => v.jti).sort()).toEqual(first.valid.map((v) => v.jti).sort());
    const rest = await poll({ ack: first.valid.map((v) => v.jti), returnImmediately: true });
    expect([rest.more, rest.valid.length]).toEqual([false, 1]);
    // A verification event and two session-revoked (alice's two sessions), each once.
    const all = [...first.valid, ...rest.valid];
    expect(all.map((v) => v.event).sort()).toEqual([SESSION_REVOKED, SESSION_REVOKED, VERIFICATION].sort());
    expect(new Set(all.map((v) => v.jti)).size).toBe(3);
    const empty = await poll({ ack: rest.valid.map((v) => v.jti), returnImmediately: true });
    expect(empty.valid).toEqual([]);
  });

  it("status, update, delete; another receiver sees none of it; the scope is required", async () => {
    const id = await pushStream();
    expect((await ssf("GET", `/status?stream_id=${id}`)).body).toEqual({ stream_id: id, status: "enabled" });
    const disabled = await ssf("POST", "/status", {
      stream_id: id,
      status: "disabled",
      reason: "maintenance",
    });
    expect(disabled.body).toEqual({ stream_id: id, status: "disabled", reason: "maintenance" });
    await ssf("POST", "/subjects/add", { stream_id: id, subject: userSub(alice) });
    await endSession(await sessionOf("alice"));
    await h.deps.outbox.drain();
    expect(rx.received).toEqual([]);
    const patched = await ssf("PATCH", "/streams", { stream_id: id, description: "renamed" });
    expect(patched.body).toMatchObject({ description: "renamed", delivery: { method: PUSH } });
    expect((await ssf("PATCH", "/streams", { stream_id: id, delivery: { method: "smoke" } })).status).toBe(
      400,
    );
    const other = await newReceiver("other");
    expect((await ssf("GET", `/streams?stream_id=${id}`, undefined, other.token)).status).toBe(404);
    expect((await ssf("GET", "/streams", undefined, other.token)).body).toEqual([]);
    expect((await ssf("DELETE", `/streams?stream_id=${id}`, undefined, other.token)).status).toBe(404);
    expect((await ssf("GET", "/streams", undefined, await h.token(["openid"]))).status).toBe(403);
    expect((await ssf("DELETE", `/streams?stream_id=${id}`)).status).toBe(204);
    expect((await ssf("GET", `/streams?stream_id=${id}`)).status).toBe(404);
    const bad = { delivery: { method: PUSH, endpoint_url: "http://rp.example/events" } };
    expect((await ssf("POST", "/streams", bad)).status).toBe(400);
  });
});
