import { randomInt } from "node:crypto";
import type { ClientRecord, DeviceCodeRecord } from "../../store/types.js";
import type { ServerCore } from "../core.js";
import { hashSecret, randomToken } from "../passwords.js";

export const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

export type GrantResult =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: 400 | 401; error: string; description: string };

const fail = (error: string, description: string, status: 400 | 401 = 400): GrantResult => ({
  ok: false,
  status,
  error,
  description,
});

/** Requested scopes the client may have; none requested means all of them. */
export function grantableScopes(client: ClientRecord, requested: string | undefined): string[] {
  const wanted = (requested ?? "").split(" ").filter(Boolean);
  const allowed = new Set(client.scopes);
  return wanted.length === 0 ? client.scopes : wanted.filter((s) => allowed.has(s));
}

async function tokenBody(
  deps: ServerCore,
  clientId: string,
  subject: string,
  scopes: string[],
  withRefresh: boolean,
) {
  const lifetime = deps.config.accessTokenLifetime;
  const body: Record<string, unknown> = {
    access_token: await deps.tokens.issue(clientId, scopes, lifetime, subject),
    token_type: "Bearer",
    expires_in: lifetime,
    scope: scopes.join(" "),
  };
  if (withRefresh) {
    const refresh = randomToken();
    await deps.store.refreshTokens.insert({
      tokenHash: hashSecret(refresh),
      clientId,
      subject,
      scopes,
      expiresAt: deps.clock.now() + deps.config.refreshTokenLifetime * 1000,
    });
    body.refresh_token = refresh;
  }
  return body;
}

export async function clientCredentialsGrant(
  deps: ServerCore,
  client: ClientRecord,
  form: Record<string, string>,
): Promise<GrantResult> {
  const scopes = grantableScopes(client, form.scope);
  if (scopes.length === 0) return fail("invalid_scope", "none of the requested scopes is allowed");
  deps.stats.tokenGrants++;
  return { ok: true, body: await tokenBody(deps, client.clientId, client.clientId, scopes, false) };
}

const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

function userCode(): string {
  const pick = () =>
    Array.from({ length: 4 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join("");
  return `${pick()}-${pick()}`;
}

/** RFC 8628 section 3.1-3.2: a device code for the client, a user code for the person. */
export async function startDeviceAuthorization(
  deps: ServerCore,
  client: ClientRecord,
  form: Record<string, string>,
  origin: string,
): Promise<GrantResult> {
  const scopes = grantableScopes(client, form.scope);
  if (scopes.length === 0) return fail("invalid_scope", "none of the requested scopes is allowed");
  const deviceCode = randomToken();
  const code = userCode();
  const { config, clock } = deps;
  await deps.store.deviceCodes.insert({
    deviceCodeHash: hashSecret(deviceCode),
    userCode: code,
    clientId: client.clientId,
    scopes,
    expiresAt: clock.now() + config.deviceCodeLifetime * 1000,
    intervalSeconds: config.deviceCodeInterval,
    status: "pending",
    userDn: null,
    lastPollAt: 0,
  });
  const verification = `${origin}/jans-auth/device`;
  return {
    ok: true,
    body: {
      device_code: deviceCode,
      user_code: code,
      verification_uri: verification,
      verification_uri_complete: `${verification}?user_code=${code}`,
      expires_in: config.deviceCodeLifetime,
      interval: config.deviceCodeInterval,
    },
  };
}

/** RFC 8628 section 3.4-3.5: polling, with slow_down for clients that poll too fast. */
export async function deviceCodeGrant(
  deps: ServerCore,
  client: ClientRecord,
  form: Record<string, string>,
): Promise<GrantResult> {
  const hash = hashSecret(form.device_code ?? "");
  const rec = await deps.store.deviceCodes.get(hash);
  if (!rec || rec.clientId !== client.clientId || rec.status === "used")
    return fail("invalid_grant", "unknown device code");
  const now = deps.clock.now();
  if (rec.expiresAt <= now) return fail("expired_token", "the device code has expired");
  if (rec.status === "denied") return fail("access_denied", "the user denied the request");
  if (rec.status === "pending") {
    const tooSoon = now - rec.lastPollAt < rec.intervalSeconds * 1000;
    await deps.store.deviceCodes.update(hash, {
      lastPollAt: now,
      ...(tooSoon ? { intervalSeconds: rec.intervalSeconds + 5 } : {}),
    });
    return tooSoon
      ? fail("slow_down", "polling too fast")
      : fail("authorization_pending", "waiting for the user");
  }
  // Approved: one conditional update decides which poll (of any process) gets the token.
  const won = await deps.store.deviceCodes.redeem(hash, now);
  if (!won) return fail("invalid_grant", "unknown device code");
  deps.stats.deviceGrants++;
  return {
    ok: true,
    body: await tokenBody(deps, client.clientId, won.userDn ?? client.clientId, won.scopes, true),
  };
}

/** Refresh tokens rotate: each is good for one use. */
export async function refreshTokenGrant(
  deps: ServerCore,
  client: ClientRecord,
  form: Record<string, string>,
): Promise<GrantResult> {
  const rec = await deps.store.refreshTokens.take(hashSecret(form.refresh_token ?? ""), deps.clock.now());
  if (!rec || rec.clientId !== client.clientId)
    return fail("invalid_grant", "unknown, used or expired refresh token");
  deps.stats.refreshGrants++;
  return { ok: true, body: await tokenBody(deps, client.clientId, rec.subject, rec.scopes, true) };
}

/** The pending, unexpired device request a person is asked to approve, if the code is one. */
export async function pendingDeviceRequest(
  core: ServerCore,
  userCode: string,
): Promise<DeviceCodeRecord | undefined> {
  const rec = await core.store.deviceCodes.getByUserCode(userCode.trim().toUpperCase());
  return rec?.status === "pending" && rec.expiresAt > core.clock.now() ? rec : undefined;
}

/** Records the person's decision on a device request. */
export async function decideDeviceRequest(
  core: ServerCore,
  rec: DeviceCodeRecord,
  userDn: string,
  approve: boolean,
): Promise<void> {
  await core.store.deviceCodes.update(rec.deviceCodeHash, {
    status: approve ? "approved" : "denied",
    userDn,
  });
}
