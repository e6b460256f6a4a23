import type { LiteFetch } from "../http/lite.js";
import {
  type ClientCredentials,
  oauthPost,
  TokenError,
  type TokenResult,
  tokenGrant,
} from "./client-credentials.js";

export const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

export interface DeviceFlowIO {
  /** Where the verification URL and user code go (stderr). */
  tell(line: string): void;
  sleep(ms: number): Promise<void>;
  now(): number;
}

/** RFC 8628: ask for a device code, show the user code, poll until the person decides. */
export async function deviceFlow(
  fetch: LiteFetch,
  endpoints: { deviceAuthorizationUrl: string; tokenUrl: string },
  creds: ClientCredentials,
  scopes: string[],
  io: DeviceFlowIO,
): Promise<TokenResult> {
  const { status, body } = await oauthPost(
    fetch,
    endpoints.deviceAuthorizationUrl,
    creds,
    scopes.length ? { scope: scopes.join(" ") } : {},
  );
  if (status !== 200 || typeof body.device_code !== "string" || typeof body.user_code !== "string") {
    throw new TokenError(
      `device authorization at ${endpoints.deviceAuthorizationUrl} answered ${status} ${String(body.error ?? "")}`.trim(),
      String(body.error ?? ""),
      status,
    );
  }
  const uri = String(body.verification_uri ?? "");
  const complete =
    typeof body.verification_uri_complete === "string" ? body.verification_uri_complete : undefined;
  io.tell(`To sign in, open ${complete ?? uri} and confirm the code ${body.user_code}`);
  let interval = (typeof body.interval === "number" ? body.interval : 5) * 1000;
  const deadline = io.now() + (typeof body.expires_in === "number" ? body.expires_in : 600) * 1000;
  for (;;) {
    await io.sleep(interval);
    if (io.now() > deadline)
      throw new TokenError("the device code expired before it was approved", "expired_token", 400);
    try {
      return await tokenGrant(
        fetch,
        endpoints.tokenUrl,
        creds,
        { grant_type: DEVICE_GRANT, device_code: body.device_code },
        { now: io.now },
      );
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      if (err.oauthError === "authorization_pending") continue;
      // RFC 8628 3.5: slow_down adds 5 seconds to the interval from then on.
      if (err.oauthError === "slow_down") {
        interval += 5000;
        continue;
      }
      if (err.oauthError === "expired_token")
        throw new TokenError("the device code expired before it was approved", "expired_token", err.status);
      if (err.oauthError === "access_denied")
        throw new TokenError("the sign-in was denied", "access_denied", err.status);
      throw err;
    }
  }
}
