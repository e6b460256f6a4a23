import { execFileSync } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as oidc from "openid-client";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, SERVER_BIN, startServer } from "../helpers/spawn-server.js";
import { launch, shot } from "./helpers.js";

// The OpenID flows as a real relying party runs them: openid-client (a certified RP library, not
// ours) serving on 127.0.0.2, our server on 127.0.0.1, and Chromium in between. Discovery, code +
// PKCE, id_token validation, userinfo, refresh, then RP-initiated logout back to the RP.

const PASSWORD = "rp-test-password-1";
let s: RunningServer;
let browser: Browser;
let rp: Server;
let rpUrl: string;
let config: oidc.Configuration;
const seen: { tokens?: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers; error?: string } = {};
const pending = new Map<string, { verifier: string; nonce: string }>();

function cli(args: string[], input?: string): string {
  return execFileSync(
    process.execPath,
    [SERVER_BIN, ...args, "--db", s.db],
    input ? { input } : {},
  ).toString();
}

function page(res: ServerResponse, body: string, status = 200): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><html lang="en"><title>RP</title><body>${body}</body></html>`);
}

/** The relying party: every OpenID step is openid-client's own. */
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", rpUrl);
  if (url.pathname === "/login") {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    pending.set(state, { verifier, nonce });
    const to = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${rpUrl}/cb`,
      scope: "openid profile offline_access",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    res.writeHead(302, { location: to.href }).end();
    return;
  }
  if (url.pathname === "/cb") {
    const state = url.searchParams.get("state") ?? "";
    const p = pending.get(state);
    try {
      const tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: p?.verifier,
        expectedState: state,
        expectedNonce: p?.nonce,
      });
      seen.tokens = tokens;
      const claims = tokens.claims()!;
      const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      page(
        res,
        `<p id="who">Signed in as ${info.preferred_username}</p><a id="out" href="/logout">Sign out</a>`,
      );
    } catch (err) {
      seen.error = String(err);
      page(res, `<p id="err">${String(err)}</p>`, 500);
    }
    return;
  }
  if (url.pathname === "/logout") {
    const to = oidc.buildEndSessionUrl(config, {
      id_token_hint: seen.tokens!.id_token!,
      post_logout_redirect_uri: `${rpUrl}/bye`,
      state: "bye-state",
    });
    res.writeHead(302, { location: to.href }).end();
    return;
  }
  if (url.pathname === "/bye")
    return page(res, `<p id="bye">Signed out (${url.searchParams.get("state")})</p>`);
  page(res, "not found", 404);
}

beforeAll(async () => {
  s = await startServer({ passwordHashCost: 1024, loginAttemptsPerAddressPerMinute: 0 });
  rp = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => rp.listen(0, "127.0.0.2", r));
  rpUrl = `http://127.0.0.2:${(rp.address() as AddressInfo).port}`;
  cli(["user", "create", "--username", "rita", "--password-stdin"], `${PASSWORD}\n`);
  const client = JSON.parse(
    cli([
      "client",
      "create",
      "--name",
      "rp",
      "--scopes",
      "openid profile offline_access",
      "--redirect-uri",
      `${rpUrl}/cb`,
      "--post-logout-redirect-uri",
      `${rpUrl}/bye`,
    ]),
  ) as { client_id: string; client_secret: string };
  config = await oidc.discovery(
    new URL(`${s.url}/jans-auth`),
    client.client_id,
    client.client_secret,
    undefined,
    { execute: [oidc.allowInsecureRequests] },
  );
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((r) => rp?.close(r));
  await s?.stop();
});

describe("a relying party on another origin, in Chromium", () => {
  it("signs in with code + PKCE, validates the id_token, reads userinfo, refreshes, and signs out back at the RP", async () => {
    const ctx = await browser.newContext();
    const tab = await ctx.newPage();
    const blocked: string[] = [];
    tab.on("console", (m) => {
      if (/Content Security Policy|form-action/i.test(m.text())) blocked.push(m.text());
    });
    await tab.goto(`${rpUrl}/login`);
    expect(new URL(tab.url()).origin).toBe(s.url);
    await tab.fill("#username", "rita");
    await tab.fill("#password", PASSWORD);
    await Promise.all([tab.waitForURL(`${rpUrl}/cb**`), tab.click("button[type=submit]")]);
    await shot(tab, "rp-signed-in");
    expect(blocked).toEqual([]);
    expect(seen.error).toBeUndefined();
    expect(await tab.textContent("#who")).toBe("Signed in as rita");
    const claims = seen.tokens!.claims()!;
    expect(claims.iss).toBe(`${s.url}/jans-auth`);
    expect(typeof claims.sid).toBe("string");
    // Refresh as the RP does: a new access token, and the old refresh token is spent.
    const refreshed = await oidc.refreshTokenGrant(config, seen.tokens!.refresh_token!);
    expect(refreshed.access_token).not.toBe(seen.tokens!.access_token);
    // RP-initiated logout: back at the RP, and the session's tokens are dead.
    await Promise.all([tab.waitForURL(`${rpUrl}/bye**`), tab.click("#out")]);
    await shot(tab, "rp-signed-out");
    expect(await tab.textContent("#bye")).toBe("Signed out (bye-state)");
    expect(blocked).toEqual([]);
    await expect(oidc.fetchUserInfo(config, refreshed.access_token, claims.sub)).rejects.toThrow();
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toThrow();
    await ctx.close();
  }, 60_000);
});
