import { afterEach, describe, expect, it } from "vitest";
import { TestBrowser } from "../helpers/browser.js";
import { must } from "../helpers/must.js";
import { addUser, cookieOf, type Harness, harness, PASSWORD } from "../helpers/server-harness.js";

// Seed 001's configuration properties, each with the injected clock.

let h: Harness | undefined;
afterEach(async () => h?.close());

const HOUR = 3_600_000;

async function signedInCookie(hh: Harness): Promise<string> {
  await addUser(hh, "alice");
  return cookieOf(await hh.login("alice"));
}
const state = async (hh: Harness, cookie: string) =>
  (
    (await (
      await hh.app.request("/jans-auth/restv1/session_status", {
        headers: { cookie: `session_id=${cookie}` },
      })
    ).json()) as {
      state: string;
    }
  ).state;

describe("seed 001's session properties", () => {
  it("sessionIdLifetime: the absolute limit, whatever the use", async () => {
    h = await harness({ sessionIdLifetime: 2 * 3600 });
    const cookie = await signedInCookie(h);
    for (let i = 0; i < 3; i++) {
      h.clock.advance(0.5 * HOUR);
      expect(await state(h, cookie)).toBe("authenticated");
    }
    h.clock.advance(0.5 * HOUR + 1);
    expect(await state(h, cookie)).toBe("unknown");
  });

  it("sessionIdLifetime -1: no absolute limit while used, and a browser-session cookie", async () => {
    h = await harness({ sessionIdLifetime: -1 });
    await addUser(h, "alice");
    const res = await h.login("alice");
    expect(res.headers.get("set-cookie")).not.toMatch(/Max-Age|Expires/);
    const cookie = cookieOf(res);
    for (let i = 0; i < 96; i++) {
      h.clock.advance(0.5 * HOUR);
      expect(await state(h, cookie)).toBe("authenticated");
    }
    // Idle still ends it.
    h.clock.advance(HOUR + 1);
    expect(await state(h, cookie)).toBe("unknown");
  });

  it("sessionIdCookieLifetime: the cookie's Max-Age; 0 and -1 give a browser-session cookie", async () => {
    for (const [lifetime, expected] of [
      [600, /Max-Age=600/],
      [0, null],
      [-1, null],
    ] as const) {
      const hh = await harness({ sessionIdCookieLifetime: lifetime });
      await addUser(hh, "alice");
      const header = (await hh.login("alice")).headers.get("set-cookie")!;
      if (expected) expect(header).toMatch(expected);
      else expect(header).not.toMatch(/Max-Age|Expires/);
      await hh.close();
    }
  });

  it("sessionIdUnusedLifetime: an idle authenticated session ends; a used one lives on", async () => {
    h = await harness({ sessionIdUnusedLifetime: 600 });
    const cookie = await signedInCookie(h);
    h.clock.advance(599_000);
    expect(await state(h, cookie)).toBe("authenticated");
    h.clock.advance(600_000);
    expect(await state(h, cookie)).toBe("unknown");
  });

  it("sessionIdUnauthenticatedUnusedLifetime: the time on the login page", async () => {
    h = await harness({ sessionIdUnauthenticatedUnusedLifetime: 30 });
    const portal = await h.client();
    const cookie = cookieOf(await h.app.request(`/jans-auth/restv1/authorize?client_id=${portal}`));
    h.clock.advance(29_000);
    expect(await state(h, cookie)).toBe("unauthenticated");
    h.clock.advance(30_000);
    expect(await state(h, cookie)).toBe("unknown");
  });

  it("changeSessionIdOnAuthentication: true by default (new sid), false keeps the sid", async () => {
    for (const change of [true, false]) {
      const hh = await harness({ changeSessionIdOnAuthentication: change });
      await addUser(hh, "alice");
      const start = await hh.app.request(`/jans-auth/restv1/authorize?client_id=${await hh.client()}`);
      const { sid } = (await start.json()) as { sid: string };
      const after = (await (await hh.login("alice", { cookie: cookieOf(start) })).json()) as { sid: string };
      expect(after.sid === sid).toBe(!change);
      await hh.close();
    }
  });

  /** A signed-in browser and a relying party registered for https://rp.example/cb. */
  async function signedInBrowser(hh: Harness) {
    await addUser(hh, "alice");
    const rp = must(
      await hh.deps.clients.create("rp", ["openid"], { redirectUris: ["https://rp.example/cb"] }),
    ).client_id;
    const browser = new TestBrowser(hh.app);
    await browser.signIn(await browser.get("/jans-auth/login"), "alice", PASSWORD);
    const authorize = (extra = "") =>
      `/jans-auth/restv1/authorize?${new URLSearchParams({ response_type: "code", client_id: rp, redirect_uri: "https://rp.example/cb", scope: "openid", prompt: "none" })}${extra}`;
    return { browser, authorize, cookie: browser.cookies.get("session_id")! };
  }

  it("sessionIdRequestParameterEnabled: false ignores a session_id parameter; true accepts it", async () => {
    for (const enabled of [false, true]) {
      const hh = await harness({ sessionIdRequestParameterEnabled: enabled });
      const { authorize, cookie } = await signedInBrowser(hh);
      // No cookie sent: only the parameter names the session.
      const res = await hh.app.request(authorize(`&session_id=${cookie}`));
      const to = new URL(res.headers.get("location")!);
      expect(to.searchParams.has("code")).toBe(enabled);
      expect(to.searchParams.get("error")).toBe(enabled ? null : "login_required");
      await hh.close();
    }
  });

  it("invalidateSessionCookiesAfterAuthorizationFlow: false keeps the cookie; true clears it", async () => {
    for (const invalidate of [false, true]) {
      const hh = await harness({ invalidateSessionCookiesAfterAuthorizationFlow: invalidate });
      const { browser, authorize } = await signedInBrowser(hh);
      const res = await browser.get(authorize());
      expect(new URL(res.headers.get("location")!).searchParams.has("code")).toBe(true);
      expect(/session_id=;/.test(res.headers.get("set-cookie") ?? "")).toBe(invalidate);
      await hh.close();
    }
  });
});
