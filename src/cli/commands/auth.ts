import type { Authenticator } from "../../auth/authenticator.js";
import { revokeToken } from "../../auth/client-credentials.js";
import type { Client } from "../../client/client.js";
import { UsageError } from "../../platform/errors.js";
import type { CliIO } from "../io.js";
import type { ParsedArgs } from "../parse.js";

/** --output-access-token / auth token: the token and a newline on stdout, nothing else. */
export function printToken(token: string, args: ParsedArgs, io: CliIO): void {
  const shapes: Record<string, () => string> = {
    raw: () => token,
    header: () => `Authorization: Bearer ${token}`,
    env: () => `OPCLI_ACCESS_TOKEN=${token}`,
    json: () => JSON.stringify({ access_token: token, token_type: "Bearer" }),
  };
  io.stdout.write(`${shapes[args.str("token-format") ?? "raw"]!()}\n`);
}

function expiry(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return "no expiry given";
  const s = Math.round((expiresAt - now) / 1000);
  return s > 0 ? `expires in ${s} s (${new Date(expiresAt).toISOString()})` : `expired ${-s} s ago`;
}

async function status(io: CliIO, client: Client): Promise<void> {
  const { auth, connection } = client;
  const embedded = connection.embedded;
  const lines = [
    `host: ${embedded ? `embedded reference server (${embedded.dbPath})` : connection.origin()}`,
  ];
  if (auth.explicit()) {
    lines.push("token: from the environment or --access-token (not cached)");
    io.stdout.write(`${lines.join("\n")}\n`);
    return;
  }
  const { creds, ep } = await auth.revocationContext();
  lines.push(`client: ${creds?.clientId ?? "(none configured)"}`);
  const entries = (await auth.cache.list()).filter(
    ([, t]) => t.tokenUrl === ep.token_endpoint && t.clientId === creds?.clientId,
  );
  lines.push(`token store: ${auth.cache.location}`);
  if (entries.length === 0) lines.push("cached tokens: none");
  for (const [, t] of entries) {
    lines.push(
      `cached token (${t.flow}${t.refreshToken ? ", refreshable" : ""}): ${expiry(t.expiresAt, io.now())}; scopes: ${t.scopes.join(" ") || "(none)"}`,
    );
  }
  io.stdout.write(`${lines.join("\n")}\n`);
}

async function logout(io: CliIO, auth: Authenticator): Promise<void> {
  const { creds, ep } = await auth.revocationContext();
  if (!creds) throw new UsageError("no client configured: nothing to log out of");
  const removed = await auth.cache.forget({
    tokenUrl: ep.token_endpoint,
    clientId: creds.clientId,
    scopes: [],
  });
  let revoked = 0;
  if (ep.revocation_endpoint) {
    for (const t of removed) {
      for (const [token, hint] of [
        [t.refreshToken, "refresh_token"],
        [t.accessToken, "access_token"],
      ] as const) {
        if (token && (await revokeToken(auth.fetch, ep.revocation_endpoint, creds, token, hint)) < 300)
          revoked++;
      }
    }
  }
  io.stderr.write(
    `opcli: removed ${removed.length} cached token${removed.length === 1 ? "" : "s"}${ep.revocation_endpoint ? `, revoked ${revoked} at the server` : " (the server has no revocation endpoint)"}\n`,
  );
}

/** opcli auth login | logout | status | token. */
export async function authCommand(sub: string, client: Client, args: ParsedArgs, io: CliIO): Promise<void> {
  const { auth } = client;
  switch (sub) {
    case "login": {
      const device = args.bool("device");
      const got = await auth.obtain(auth.defaultScopes(), { device, force: device });
      io.stderr.write(`opcli: signed in (${got.source}); token cached in ${auth.cache.location}\n`);
      return;
    }
    case "logout":
      return logout(io, auth);
    case "status":
      return status(io, client);
    default:
      return printToken(await auth.forPrinting(), args, io);
  }
}
