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

/** Who a JWT access token was issued to (`sub`, or a username claim); never the token itself. */
export function subjectOf(token: string): string | undefined {
  const part = token.split(".")[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
    const who = claims.username ?? claims.preferred_username ?? claims.sub;
    return typeof who === "string" ? who : undefined;
  } catch {
    return undefined;
  }
}

interface StatusReport {
  host: string;
  client?: string;
  token: "explicit" | "cached" | "none";
  tokenStore?: string;
  tokens: { flow: string; refreshable: boolean; expires: string; scopes: string[]; subject?: string }[];
}

async function statusReport(io: CliIO, client: Client): Promise<StatusReport> {
  const { auth, connection } = client;
  const embedded = connection.embedded;
  const host = embedded ? `embedded reference server (${embedded.dbPath})` : connection.origin();
  if (auth.explicit()) return { host, token: "explicit", tokens: [] };
  const creds = await auth.credentials();
  // Status only reports: a token endpoint that cannot be found is said, not fatal.
  const ep = await auth.revocationContext().then(
    (r) => r.ep,
    () => undefined,
  );
  const entries = (await auth.cache.list()).filter(
    ([, t]) => t.tokenUrl === ep?.token_endpoint && t.clientId === creds?.clientId,
  );
  const tokens = entries.map(([, t]) => ({
    flow: t.flow,
    refreshable: Boolean(t.refreshToken),
    expires: expiry(t.expiresAt, io.now()),
    scopes: t.scopes,
    ...(subjectOf(t.accessToken) ? { subject: subjectOf(t.accessToken)! } : {}),
  }));
  return {
    host,
    ...(creds?.clientId ? { client: creds.clientId } : {}),
    token: tokens.length ? "cached" : "none",
    tokenStore: auth.cache.location,
    tokens,
  };
}

/** auth status: where opcli would go and as whom; exit 1 when nothing usable is configured. */
async function status(io: CliIO, client: Client, args: ParsedArgs): Promise<number | undefined> {
  const r = await statusReport(io, client);
  if (args.str("output") === "json") io.stdout.write(`${JSON.stringify(r, null, io.stdout.isTTY ? 2 : 0)}\n`);
  else {
    const lines = [`host: ${r.host}`];
    if (r.token === "explicit") lines.push("token: from the environment or --access-token (not cached)");
    else {
      lines.push(`client: ${r.client ?? "(none configured)"}`, `token store: ${r.tokenStore}`);
      if (r.tokens.length === 0) lines.push("cached tokens: none");
      for (const t of r.tokens)
        lines.push(
          `cached token (${t.flow}${t.refreshable ? ", refreshable" : ""}): ${t.expires}; scopes: ${t.scopes.join(" ") || "(none)"}${t.subject ? `; signed in as ${t.subject}` : ""}`,
        );
    }
    io.stdout.write(`${lines.join("\n")}\n`);
  }
  const usable = r.token === "explicit" || r.client !== undefined;
  if (!usable)
    io.stderr.write(
      "opcli: no client or token configured (opcli auth login, or --client-id/--access-token)\n",
    );
  return usable ? undefined : 1;
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
export async function authCommand(
  sub: string,
  client: Client,
  args: ParsedArgs,
  io: CliIO,
): Promise<number | undefined> {
  const { auth } = client;
  switch (sub) {
    case "login": {
      const device = args.bool("device");
      const got = await auth.obtain(auth.defaultScopes(), { device, force: device });
      io.stderr.write(`opcli: signed in (${got.source}); token cached in ${auth.cache.location}\n`);
      return undefined;
    }
    case "logout":
      await logout(io, auth);
      return undefined;
    case "status":
      return status(io, client, args);
    default:
      printToken(await auth.forPrinting(), args, io);
      return undefined;
  }
}
