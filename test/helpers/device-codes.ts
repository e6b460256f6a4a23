import { SCOPE } from "../../src/server/core/oauth/scopes.js";
import { submitForm } from "./browser-forms.js";
import type { RunningServer } from "./spawn-server.js";

const post = (s: RunningServer, path: string, body: Record<string, string>) =>
  fetch(`${s.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  });

/**
 * `n` device codes started on alternate instances and approved by the user on the device page,
 * then each polled four times at once, twice through each instance: the token endpoint's statuses.
 */
export async function pollApprovedCodes(
  a: RunningServer,
  b: RunningServer,
  user: { username: string; password: string },
  n = 20,
): Promise<{ statuses: number[]; approvals: number[] }> {
  const creds = { client_id: a.admin.client_id, client_secret: a.admin.client_secret };
  const codes: string[] = [];
  const approvals: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = await post(i % 2 ? a : b, "/jans-auth/restv1/device_authorization", {
      ...creds,
      scope: SCOPE.sessionRead,
    });
    const d = (await started.json()) as Record<string, string>;
    // The URI names the configured issuer (the cluster's shared name); the person reaches it through b.
    const page = new URL(d.verification_uri_complete!);
    const approved = await submitForm(`${b.url}${page.pathname}${page.search}`, "/jans-auth/device", {
      user_code: d.user_code!,
      username: user.username,
      password: user.password,
      action: "approve",
    });
    approvals.push(approved.status);
    codes.push(d.device_code!);
  }
  const grant = (device_code: string) => ({
    ...creds,
    grant_type: "urn:ietf:params:oauth:grant-type:device_code",
    device_code,
  });
  const polls = codes.flatMap((code) =>
    [a, b, a, b].map((s) => post(s, "/jans-auth/restv1/token", grant(code))),
  );
  return { statuses: (await Promise.all(polls)).map((r) => r.status), approvals };
}
