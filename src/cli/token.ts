import { type ClientCredentials, clientCredentialsGrant, TokenError } from "../auth/client-credentials.js";
import { discoverTokenUrl, oauthRequirement, usableTokenUrl } from "../auth/token-url.js";
import type { LiteFetch } from "../http/lite.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import type { FileConfig } from "./config-file.js";
import { AuthError, ConfigError, HttpStatusError } from "./errors.js";
import type { ParsedFlags } from "./flags.js";
import type { CliIO } from "./io.js";

export interface TokenContext {
  model: ApiModel;
  op: OperationModel;
  flags: ParsedFlags;
  io: CliIO;
  config: FileConfig;
  fetch: LiteFetch;
  origin: string;
  fallbackCredentials?: ClientCredentials;
}

function explicitToken(ctx: TokenContext): string | undefined {
  const raw = (ctx.flags["access-token"] as string | undefined) ?? ctx.io.env.OPCLI_ACCESS_TOKEN;
  if (raw === undefined || raw === "") return undefined;
  if (!raw.startsWith("@")) return raw.trim();
  try {
    return ctx.io.readFile(raw.slice(1)).trim();
  } catch (err) {
    throw new ConfigError(
      `cannot read access token file ${raw.slice(1)}: ${(err as NodeJS.ErrnoException).code}`,
    );
  }
}

function credentials(ctx: TokenContext): ClientCredentials | undefined {
  const { flags, io, config } = ctx;
  const clientId = (flags["client-id"] as string | undefined) ?? io.env.OPCLI_CLIENT_ID ?? config.clientId;
  const clientSecret =
    (flags["client-secret"] as string | undefined) ?? io.env.OPCLI_CLIENT_SECRET ?? config.clientSecret;
  if (clientId && clientSecret) return { clientId, clientSecret };
  return ctx.fallbackCredentials;
}

/** The bearer token for an operation, or undefined when it needs none. */
export async function accessTokenFor(ctx: TokenContext): Promise<string | undefined> {
  const { op } = ctx;
  if (op.security.length === 0 || op.security.some((alt) => alt.length === 0)) return undefined;
  const given = explicitToken(ctx);
  if (given) return given;
  const req = oauthRequirement(ctx.model, op);
  if (!req) return undefined;
  const creds = credentials(ctx);
  if (!creds) {
    throw new AuthError(
      `${op.id} needs an OAuth token: pass --client-id and --client-secret (or OPCLI_CLIENT_ID/OPCLI_CLIENT_SECRET), or --access-token`,
    );
  }
  const scheme = ctx.model.securitySchemes[req.scheme];
  const tokenUrl =
    (ctx.flags["token-url"] as string | undefined) ??
    ctx.config.tokenUrl ??
    usableTokenUrl(scheme?.tokenUrl, ctx.origin) ??
    (await discoverTokenUrl(ctx.fetch, ctx.origin));
  if (!tokenUrl) {
    throw new ConfigError(
      `no token endpoint: the spec's tokenUrl is a placeholder and ${ctx.origin} has no OpenID discovery; give --token-url`,
    );
  }
  try {
    return (await clientCredentialsGrant(ctx.fetch, tokenUrl, creds, req.scopes, { now: ctx.io.now }))
      .accessToken;
  } catch (err) {
    if (!(err instanceof TokenError)) throw err;
    if (err.status >= 500) throw new HttpStatusError(err.status, err.message);
    throw new AuthError(err.message);
  }
}
