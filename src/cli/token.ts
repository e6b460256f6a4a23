import {
  type ClientCredentials,
  clientCredentialsGrant,
  refreshTokenGrant,
  TokenError,
  type TokenResult,
} from "../auth/client-credentials.js";
import { deviceFlow } from "../auth/device-flow.js";
import type { StoredToken, TokenFlow } from "../auth/stored-token.js";
import { parseStoreSetting, selectTokenStore } from "../auth/stores/select.js";
import { InvalidGrant, TokenCache, type TokenSource } from "../auth/token-cache.js";
import { type Discovery, discover, oauthRequirement, usableTokenUrl } from "../auth/token-url.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import type { Profile } from "./config-file.js";
import type { Connection } from "./connection.js";
import { AuthError, ConfigError, HttpStatusError, UsageError } from "./errors.js";
import type { ParsedFlags } from "./flags.js";
import type { CliIO } from "./io.js";
import { readSecretRef } from "./secret-ref.js";

export interface TokenContext {
  model: ApiModel;
  flags: ParsedFlags;
  io: CliIO;
  profile: Profile;
  conn: Connection;
}

export interface IssuedToken {
  token: string;
  source: TokenSource | "explicit";
  /** Where it goes: Authorization (as a bearer token) or an API-key header. */
  header?: string;
}

/** Finds, caches and refreshes access tokens for one invocation. */
export class Authenticator {
  private discovery: Discovery | undefined;
  readonly cache: TokenCache;

  constructor(private readonly ctx: TokenContext) {
    const setting = parseStoreSetting(ctx.io.env.OPCLI_TOKEN_STORE ?? ctx.profile.tokenStore);
    if (!setting)
      throw new ConfigError(
        `OPCLI_TOKEN_STORE must be keychain, file or none, not "${ctx.io.env.OPCLI_TOKEN_STORE}"`,
      );
    const store = selectTokenStore(setting, ctx.io.env, (line) => ctx.io.stderr.write(`opcli: ${line}\n`));
    this.cache = new TokenCache(store, ctx.io.env, ctx.io.now);
  }

  /** --access-token / OPCLI_ACCESS_TOKEN: used as given, never cached. */
  explicit(): string | undefined {
    const { flags, io } = this.ctx;
    const raw = (flags["access-token"] as string | undefined) ?? io.env.OPCLI_ACCESS_TOKEN;
    if (raw === undefined || raw === "") return undefined;
    if (!raw.startsWith("@")) return raw.trim();
    try {
      return io.readFile(raw.slice(1)).trim();
    } catch (err) {
      throw new ConfigError(
        `cannot read access token file ${raw.slice(1)}: ${(err as NodeJS.ErrnoException).code}`,
      );
    }
  }

  async credentials(): Promise<ClientCredentials | undefined> {
    const { flags, io, profile, conn } = this.ctx;
    const clientId = (flags["client-id"] as string | undefined) ?? io.env.OPCLI_CLIENT_ID ?? profile.clientId;
    let secret =
      (flags["client-secret"] as string | undefined) ?? io.env.OPCLI_CLIENT_SECRET ?? profile.clientSecret;
    if (secret === undefined && profile.clientSecretRef)
      secret = await readSecretRef(profile.clientSecretRef, io.env);
    if (clientId) return { clientId, ...(secret !== undefined ? { clientSecret: secret } : {}) };
    return conn.embedded?.credentials;
  }

  /** OpenID discovery, fetched at most once and only when something is not configured. */
  private async discovered(origin: string): Promise<Discovery> {
    this.discovery ??= await discover(this.ctx.conn.fetch, origin).catch(() => ({}));
    return this.discovery;
  }

  /** The token endpoint; with `all`, also the device and revocation endpoints from discovery. */
  private async endpoints(op?: OperationModel, all = false): Promise<Discovery & { token_endpoint: string }> {
    const { flags, profile, conn, model } = this.ctx;
    const origin = conn.origin(op);
    const req = op ? oauthRequirement(model, op) : undefined;
    const scheme = model.securitySchemes[req?.scheme ?? this.defaultScheme() ?? ""];
    const configured =
      (flags["token-url"] as string | undefined) ??
      profile.tokenUrl ??
      usableTokenUrl(scheme?.tokenUrl, origin);
    const found = configured && !all ? {} : await this.discovered(origin);
    const tokenUrl = configured ?? found.token_endpoint;
    if (!tokenUrl) {
      throw new ConfigError(
        `no token endpoint: the spec's tokenUrl is a placeholder and ${origin} has no OpenID discovery; give --token-url`,
      );
    }
    return { ...found, token_endpoint: tokenUrl };
  }

  private defaultScheme(): string | undefined {
    return Object.entries(this.ctx.model.securitySchemes).find(
      ([, s]) => s.type === "oauth2" || s.type === "openIdConnect",
    )?.[0];
  }

  /** Scopes for a token not tied to one operation: --scopes, else every scope the spec's scheme declares. */
  defaultScopes(): string[] {
    const given = this.ctx.flags.scopes as string | undefined;
    if (given) return given.split(/[\s,]+/).filter(Boolean);
    return this.ctx.model.securitySchemes[this.defaultScheme() ?? ""]?.scopes ?? [];
  }

  private stored(
    result: TokenResult,
    tokenUrl: string,
    clientId: string,
    scopes: string[],
    flow: TokenFlow,
  ): StoredToken {
    return {
      accessToken: result.accessToken,
      ...(result.refreshToken ? { refreshToken: result.refreshToken } : {}),
      expiresAt: result.expiresAt,
      tokenUrl,
      clientId,
      // What was granted, when the server says (it may be fewer than asked).
      scopes: result.scope ? result.scope.split(" ").filter(Boolean) : scopes,
      flow,
      obtainedAt: this.ctx.io.now(),
    };
  }

  get fetch() {
    return this.ctx.conn.fetch;
  }

  /** A brand-new token: client credentials, or the device flow when a person must sign in. */
  private async newToken(
    ep: Discovery & { token_endpoint: string },
    creds: ClientCredentials,
    scopes: string[],
    person: boolean,
    device: boolean,
  ): Promise<StoredToken> {
    const { io, conn } = this.ctx;
    const tokenUrl = ep.token_endpoint;
    if (!person) {
      const result = await clientCredentialsGrant(conn.fetch, tokenUrl, creds, scopes, { now: io.now });
      return this.stored(result, tokenUrl, creds.clientId, scopes, "client_credentials");
    }
    // A flow that needs a person fails fast when nobody is at a terminal (unless asked for).
    if (!device && !io.stderr.isTTY) {
      throw new AuthError(
        "signing in needs a person at a terminal: run opcli auth login --device, or give --client-secret",
      );
    }
    if (!ep.device_authorization_endpoint)
      throw new ConfigError("the server publishes no device_authorization_endpoint");
    const result = await deviceFlow(
      conn.fetch,
      { deviceAuthorizationUrl: ep.device_authorization_endpoint, tokenUrl },
      creds,
      scopes,
      {
        tell: (line) => io.stderr.write(`opcli: ${line}\n`),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        now: io.now,
      },
    );
    return this.stored(result, tokenUrl, creds.clientId, scopes, "device_code");
  }

  private async refreshed(
    tokenUrl: string,
    creds: ClientCredentials,
    scopes: string[],
    refreshToken: string,
  ): Promise<StoredToken> {
    try {
      const result = await refreshTokenGrant(this.ctx.conn.fetch, tokenUrl, creds, refreshToken, {
        now: this.ctx.io.now,
      });
      return this.stored(result, tokenUrl, creds.clientId, scopes, "device_code");
    } catch (err) {
      if (err instanceof TokenError && err.oauthError === "invalid_grant")
        throw new InvalidGrant(err.message);
      throw err;
    }
  }

  /** A token for these scopes: cached, refreshed, or fetched (client credentials or device flow). */
  async obtain(
    scopes: string[],
    opts: { op?: OperationModel; rejected?: string; device?: boolean; force?: boolean } = {},
  ): Promise<IssuedToken> {
    const creds = await this.credentials();
    if (!creds) {
      throw new AuthError(
        "no client credentials: pass --client-id and --client-secret (or OPCLI_CLIENT_ID/OPCLI_CLIENT_SECRET), or --access-token",
      );
    }
    const person = opts.device === true || creds.clientSecret === undefined;
    const ep = await this.endpoints(opts.op, person);
    const tokenUrl = ep.token_endpoint;
    try {
      const { token, source } = await this.cache.token({
        tokenUrl,
        clientId: creds.clientId,
        scopes,
        fetchNew: () => this.newToken(ep, creds, scopes, person, opts.device === true),
        refresh: (rt) => this.refreshed(tokenUrl, creds, scopes, rt),
        ...(opts.rejected ? { rejected: opts.rejected } : {}),
        ...(opts.force ? { force: true } : {}),
      });
      return { token: token.accessToken, source };
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      if (err.oauthError === "invalid_grant")
        await this.cache.forget({ tokenUrl, clientId: creds.clientId, scopes });
      if (err.status >= 500) throw new HttpStatusError(err.status, err.message);
      throw new AuthError(err.message);
    }
  }

  /** The bearer token for an operation, or undefined when it needs none. */
  async forOperation(op: OperationModel, rejected?: string): Promise<IssuedToken | undefined> {
    if (op.security.length === 0 || op.security.some((alt) => alt.length === 0)) return undefined;
    const given = this.explicit();
    const req = oauthRequirement(this.ctx.model, op);
    if (given) {
      // A given token goes where the operation's scheme wants it: a bearer header, or an API-key header.
      const header = req ? "Authorization" : this.apiKeyHeader(op);
      if (!header) return undefined;
      return { token: given, source: "explicit", header };
    }
    if (!req) return undefined;
    return {
      ...(await this.obtain(req.scopes, { op, ...(rejected ? { rejected } : {}) })),
      header: "Authorization",
    };
  }

  /** The header an apiKey (or http bearer) scheme of the operation names, if any. */
  private apiKeyHeader(op: OperationModel): string | undefined {
    for (const alt of op.security) {
      for (const { scheme } of alt) {
        const s = this.ctx.model.securitySchemes[scheme];
        if (s?.type === "http" && s.scheme?.toLowerCase() === "bearer") return "Authorization";
        if (s?.type === "apiKey" && s.in === "header" && s.name) return s.name;
      }
    }
    return undefined;
  }

  /** The token for --output-access-token / auth token. */
  async forPrinting(op?: OperationModel): Promise<string> {
    const given = this.explicit();
    if (given) return given;
    if (op) {
      const req = oauthRequirement(this.ctx.model, op);
      if (!req) throw new UsageError(`${op.id} does not use OAuth`);
      return (await this.obtain(req.scopes, { op })).token;
    }
    return (await this.obtain(this.defaultScopes())).token;
  }

  async revocationContext() {
    const creds = await this.credentials();
    const ep = await this.endpoints(undefined, true);
    return { creds, ep };
  }
}
