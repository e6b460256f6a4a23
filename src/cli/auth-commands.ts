import { revokeToken } from "../auth/client-credentials.js";
import type { ApiModel } from "../spec/model.js";
import type { Connection } from "./connection.js";
import { UsageError } from "./errors.js";
import type { ParsedFlags } from "./flags.js";
import type { CliIO } from "./io.js";
import type { Authenticator } from "./token.js";

/** --output-access-token / auth token: the token and a newline on stdout, nothing else. */
export function printToken(token: string, flags: ParsedFlags, io: CliIO): void {
  const format = (flags["token-format"] as string | undefined) ?? "raw";
  const shapes: Record<string, () => string> = {
    raw: () => token,
    header: () => `Authorization: Bearer ${token}`,
    env: () => `OPCLI_ACCESS_TOKEN=${token}`,
    json: () => JSON.stringify({ access_token: token, token_type: "Bearer" }),
  };
  const shape = shapes[format];
  if (!shape) throw new UsageError(`--token-format must be raw, header, env or json, not "${format}"`);
  io.stdout.write(`${shape()}\n`);
}

function expiry(expiresAt: number | null, now: number): string {
  if (expiresAt === null) return "no expiry given";
  const s = Math.round((expiresAt - now) / 1000);
  return s > 0 ? `expires in ${s} s (${new Date(expiresAt).toISOString()})` : `expired ${-s} s ago`;
}

async function status(io: CliIO, auth: Authenticator, conn: Connection): Promise<void> {
  const lines = [
    `host: ${conn.embedded ? `embedded reference server (${conn.embedded.dbPath})` : conn.origin()}`,
  ];
  if (auth.explicit()) {
    lines.push("token: from the environment or --access-token (not cached)");
    io.stdout.write(`${lines.join("\n")}\n`);
    return;
  }
  const creds = await auth.credentials();
  lines.push(`client: ${creds?.clientId ?? "(none configured)"}`);
  const { ep } = await auth.revocationContext();
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

export async function authCommand(
  flags: ParsedFlags,
  io: CliIO,
  auth: Authenticator,
  conn: Connection,
  _model: ApiModel,
): Promise<void> {
  const sub = flags._[1];
  if (flags._.length > 2) throw new UsageError(`auth ${sub}: unexpected argument "${flags._[2]}"`);
  switch (sub) {
    case "login": {
      const got = await auth.obtain(auth.defaultScopes(), {
        device: Boolean(flags.device),
        force: Boolean(flags.device),
      });
      io.stderr.write(`opcli: signed in (${got.source}); token cached in ${auth.cache.location}\n`);
      return;
    }
    case "logout":
      return logout(io, auth);
    case "status":
      return status(io, auth, conn);
    case "token":
      return printToken(await auth.forPrinting(), flags, io);
    default:
      throw new UsageError(`auth needs one of login, logout, status, token${sub ? `, not "${sub}"` : ""}`);
  }
}
