import { expect } from "vitest";
import { type Harness, PASSWORD } from "./server-harness.js";

// The requests Janssen's own CLI and TUI (jans-cli-tui/cli_tui/cli/config_cli.py) send to sign in,
// replayed as that code sends them, each answer checked.

/** The Basic credentials of the CLI's client (our provisioned admin client: every scope, userinfo as a JWT). */
export const basicOf = (h: Harness) =>
  `Basic ${Buffer.from(`${h.admin.client_id}:${h.admin.client_secret}`).toString("base64")}`;

/** A form POST as `requests` encodes a tuple list: in order, repeats included, "+" as %2B. */
export const janssenForm = (
  h: Harness,
  path: string,
  headers: Record<string, string>,
  pairs: [string, string][],
) =>
  h.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "Jans-Client": "jans-tui", ...headers },
    body: new URLSearchParams(pairs).toString(),
  });

/** check_connection, the device login a person approves, and userinfo read as a signed JWT. */
export async function janssenSignIn(h: Harness, username: string) {
  const basic = basicOf(h);
  const form = (path: string, headers: Record<string, string>, pairs: [string, string][]) =>
    janssenForm(h, path, headers, pairs);
  // check_connection: a client-credentials grant with no scope, then discovery.
  const check = await form("/jans-auth/restv1/token", { authorization: basic }, [
    ["grant_type", "client_credentials"],
  ]);
  expect(check.status).toBe(200);
  expect((await h.app.request("/.well-known/openid-configuration")).status).toBe(200);
  // STEP 1: device authorization for its "+"-joined OpenID scopes, client_id in the form beside Basic.
  const d = await form("/jans-auth/restv1/device_authorization", { authorization: basic }, [
    ["client_id", h.admin.client_id],
    ["scope", "openid+profile+email+offline_access"],
  ]);
  expect(d.status).toBe(200);
  const device = (await d.json()) as Record<string, string>;
  expect(device.verification_uri_complete).toContain(device.user_code);
  // The person approves in a browser (the CLI waits for Enter).
  const page = `/jans-auth/device?user_code=${device.user_code}`;
  const approved = await h.submit(page, "/jans-auth/device", {
    user_code: device.user_code!,
    username,
    password: PASSWORD,
    action: "approve",
  });
  expect(approved.status).toBe(200);
  // STEP 2: the token request with grant_type twice (device_code first, then refresh_token).
  const t = await form("/jans-auth/restv1/token", { authorization: basic }, [
    ["client_id", h.admin.client_id],
    ["scope", "openid+profile+email+offline_access"],
    ["grant_type", "urn:ietf:params:oauth:grant-type:device_code"],
    ["grant_type", "refresh_token"],
    ["device_code", device.device_code!],
  ]);
  expect(t.status).toBe(200);
  const tokens = (await t.json()) as Record<string, string>;
  expect(tokens.scope!.split(" ").sort()).toEqual(["email", "offline_access", "openid", "profile"]);
  // STEP 3: userinfo by POST, the token both in the header and the form; the answer is read as a JWT.
  const info = await form("/jans-auth/restv1/userinfo", { authorization: `Bearer ${tokens.access_token}` }, [
    ["access_token", tokens.access_token!],
  ]);
  expect(info.status).toBe(200);
  expect(info.headers.get("content-type")).toBe("application/jwt");
  const ujwt = await info.text();
  return { tokens, ujwt };
}

/** STEP 4: the config-api token, client credentials with scope openid and the ujwt, Bearer only. */
export async function janssenConfigApiToken(h: Harness, accessToken: string, ujwt: string) {
  return janssenForm(h, "/jans-auth/restv1/token", { authorization: `Bearer ${accessToken}` }, [
    ["grant_type", "client_credentials"],
    ["scope", "openid"],
    ["ujwt", ujwt],
  ]);
}
