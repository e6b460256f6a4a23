import { randomInt } from "node:crypto";
import type { ClientRecord, DeviceCodeRecord } from "../../store/types.js";
import type { ServerCore } from "../core.js";
import { hashSecret, randomToken } from "../passwords.js";
import { activeUser, fail, type GrantResult, grantableScopes, personScopes, tokenBody } from "./grants.js";

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
  /** Where the person enters the user code (the face that serves the page knows it). */
  verification: string,
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
  // The person who approved: still able to sign in, and given no more than their roles allow.
  const user = won.userDn ? await activeUser(deps, won.userDn) : undefined;
  if (!user) return fail("access_denied", "the user who approved cannot sign in");
  const scopes = personScopes(won.scopes, user.roles);
  if (scopes.length === 0)
    return fail("invalid_scope", "the user's roles allow none of the requested scopes");
  deps.stats.deviceGrants++;
  return {
    ok: true,
    body: await tokenBody(deps, client.clientId, {
      subject: user.dn,
      scopes,
      refresh: { sid: null, offline: true },
    }),
  };
}

/** The pending, unexpired device request a person is asked to approve, if the code is one. */
export async function pendingDeviceRequest(
  core: ServerCore,
  userCode: string,
): Promise<DeviceCodeRecord | undefined> {
  const rec = await core.store.deviceCodes.getByUserCode(userCode.trim().toUpperCase());
  return rec?.status === "pending" && rec.expiresAt > core.clock.now() ? rec : undefined;
}

/**
 * Records the person's decision on a device request, only while it is pending and unexpired (one
 * conditional write: a second decision, or one racing a redemption, changes nothing); false then.
 */
export function decideDeviceRequest(
  core: ServerCore,
  rec: DeviceCodeRecord,
  userDn: string,
  approve: boolean,
): Promise<boolean> {
  return core.store.deviceCodes.decide(
    rec.deviceCodeHash,
    approve ? "approved" : "denied",
    userDn,
    core.clock.now(),
  );
}
