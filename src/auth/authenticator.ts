import type { LiteFetch } from "../http/lite.js";
import { AuthError, ConfigError, HttpStatusError, UsageError } from "../platform/errors.js";
import type { ApiModel, OperationModel } from "../spec/model.js";
import {
  type ClientCredentials,
  clientCredentialsGrant,
  refreshTokenGrant,
  TokenError,
  type TokenResult,
} from "./client-credentials.js";
import { deviceFlow } from "./device-flow.js";
import type { DiscoveryStore } from "./discovery-cache.js";
import { type CredentialPlacement, placementFor, schemePlacement, securityOptional } from "./placement.js";
import { credentialFingerprint, type StoredToken, type TokenFlow } from "./stored-token.js";
import type { TokenStore } from "./stores/types.js";
import { InvalidGrant, TokenCache, type TokenSource } from "./token-cache.js";
import { type Discovery, discover, oauthRequirement, usableTokenUrl } from "./token-url.js";

/** What the authenticator needs to know and to reach; no flags, no argv, no stdout. */
export interface AuthContext {
  model: ApiModel;
  fetch: LiteFetch;
  /** Origin of the API for an operation (where discovery and relative token URLs resolve). */
  origin(op?: OperationModel): string;
  /** Client credentials, resolved on first need (a secret may live in the keychain). */
  credentials(): Promise<ClientCredentials | undefined>;
  /** A token given by the user: used as it is, never cached. */
  explicitToken?: string;
  /** The token endpoint, when configured. */
  tokenUrl?: string;
  /** Scopes for a token not tied to one operation. */
  scopes?: string[];
  store: TokenStore;
  /** Where cross-process lock files go. */
  lockDir: string;
  /** Discovery results kept between runs (none: discovered once per process). */
  discoveryStore?: DiscoveryStore;
  now(): number;
  /** One-line messages for the person (the device code, fallbacks). */
  tell(line: string): void;
  /** Whether a person can answer at a terminal (else person-only flows fail at once). */
  interactive: boolean;
}

export interface IssuedToken {
  token: string;
  source: TokenSource | "explicit";
  /** Where it goes and how it is written (default: an Authorization bearer token). */
  placement?: CredentialPlacement;
}

type Endpoints = Discovery & { token_endpoint: string };

/** Finds, caches and refreshes access tokens for one client. */
export class Authenticator {
  private discovery: Promise<Discovery> | undefined;
  readonly cache: TokenCache;

  constructor(private readonly ctx: AuthContext) {
    this.cache = new TokenCache(ctx.store, ctx.lockDir, ctx.now);
  }

  get fetch(): LiteFetch {
    return this.ctx.fetch;
  }

  /** The explicit token (flag or environment), if one was given. */
  explicit(): string | undefined {
    return this.ctx.explicitToken;
  }

  credentials(): Promise<ClientCredentials | undefined> {
    return this.ctx.credentials();
  }

  /** OpenID discovery, fetched at most once and only when something is not configured. */
  private discovered(origin: string): Promise<Discovery> {
    const kept = this.ctx.discoveryStore?.get(origin);
    if (kept) return Promise.resolve(kept);
    this.discovery ??= discover(this.ctx.fetch, origin)
      .then((found) => {
        this.ctx.discoveryStore?.set(origin, found);
        return found;
      })
      .catch(() => ({}));
    return this.discovery;
  }

  private defaultScheme(): string | undefined {
    return Object.entries(this.ctx.model.securitySchemes).find(
      ([, s]) => s.type === "oauth2" || s.type === "openIdConnect",
    )?.[0];
  }

  /** The token endpoint; with `all`, also the device and revocation endpoints from discovery. */
  private async endpoints(op?: OperationModel, all = false): Promise<Endpoints> {
    const { model } = this.ctx;
    const origin = this.ctx.origin(op);
    const req = op ? oauthRequirement(model, op) : undefined;
    const scheme = model.securitySchemes[req?.scheme ?? this.defaultScheme() ?? ""];
    const configured = this.ctx.tokenUrl ?? usableTokenUrl(scheme?.tokenUrl, origin);
    const found = configured && !all ? {} : await this.discovered(origin);
    const tokenUrl = configured ?? found.token_endpoint;
    if (!tokenUrl) {
      throw new ConfigError(
        `no token endpoint: the spec's tokenUrl is a placeholder and ${origin} has no OpenID discovery; give --token-url`,
      );
    }
    return { ...found, token_endpoint: tokenUrl };
  }

  /** Scopes for a token not tied to one operation: as configured, else every scope the spec declares. */
  defaultScopes(): string[] {
    if (this.ctx.scopes?.length) return this.ctx.scopes;
    return this.ctx.model.securitySchemes[this.defaultScheme() ?? ""]?.scopes ?? [];
  }

  private stored(
    result: TokenResult,
    ep: Endpoints,
    clientId: string,
    scopes: string[],
    flow: TokenFlow,
  ): StoredToken {
    return {
      accessToken: result.accessToken,
      ...(result.refreshToken ? { refreshToken: result.refreshToken } : {}),
      expiresAt: result.expiresAt,
      tokenUrl: ep.token_endpoint,
      clientId,
      // What was granted, when the server says (it may be fewer than asked).
      scopes: result.scope ? result.scope.split(" ").filter(Boolean) : scopes,
      flow,
      obtainedAt: this.ctx.now(),
    };
  }

  /** A brand-new token: client credentials, or the device flow when a person must sign in. */
  private async newToken(
    ep: Endpoints,
    creds: ClientCredentials,
    scopes: string[],
    person: boolean,
    device: boolean,
  ): Promise<StoredToken> {
    const { ctx } = this;
    if (!person) {
      const result = await clientCredentialsGrant(ctx.fetch, ep.token_endpoint, creds, scopes, {
        now: ctx.now,
      });
      return this.stored(result, ep, creds.clientId, scopes, "client_credentials");
    }
    // A flow that needs a person fails fast when nobody is at a terminal (CI jobs must not hang).
    if (!ctx.interactive) {
      throw new AuthError(
        device
          ? "the device flow needs a person at a terminal (stdin and stderr, without --no-input); in scripts give --client-secret"
          : "signing in needs a person at a terminal: run opcli auth login --device, or give --client-secret",
      );
    }
    if (!ep.device_authorization_endpoint)
      throw new ConfigError("the server publishes no device_authorization_endpoint");
    const result = await deviceFlow(
      ctx.fetch,
      { deviceAuthorizationUrl: ep.device_authorization_endpoint, tokenUrl: ep.token_endpoint },
      creds,
      scopes,
      { tell: ctx.tell, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), now: ctx.now },
    );
    return this.stored(result, ep, creds.clientId, scopes, "device_code");
  }

  private async refreshed(
    ep: Endpoints,
    creds: ClientCredentials,
    scopes: string[],
    rt: string,
  ): Promise<StoredToken> {
    try {
      const result = await refreshTokenGrant(this.ctx.fetch, ep.token_endpoint, creds, rt, {
        now: this.ctx.now,
      });
      return this.stored(result, ep, creds.clientId, scopes, "device_code");
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
    const creds = await this.ctx.credentials();
    if (!creds) {
      throw new AuthError(
        "no client credentials: pass --client-id and --client-secret (or OPCLI_CLIENT_ID/OPCLI_CLIENT_SECRET), or --access-token",
      );
    }
    const person = opts.device === true || creds.clientSecret === undefined;
    const ep = await this.endpoints(opts.op, person);
    const fingerprint = credentialFingerprint(ep.token_endpoint, creds.clientId, creds.clientSecret);
    const key = { tokenUrl: ep.token_endpoint, clientId: creds.clientId, scopes, fingerprint };
    const marked = (t: StoredToken): StoredToken => ({ ...t, fingerprint });
    try {
      const { token, source } = await this.cache.token({
        ...key,
        fetchNew: async () => marked(await this.newToken(ep, creds, scopes, person, opts.device === true)),
        refresh: async (rt) => marked(await this.refreshed(ep, creds, scopes, rt)),
        ...(opts.rejected ? { rejected: opts.rejected } : {}),
        ...(opts.force ? { force: true } : {}),
      });
      return { token: token.accessToken, source };
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      if (err.oauthError === "invalid_grant") await this.cache.forget(key);
      if (err.status >= 500) throw new HttpStatusError(err.status, err.message);
      throw new AuthError(err.message);
    }
  }

  /**
   * The credential for an operation, or undefined when it gets none. A credential the user gives
   * goes wherever the operation's first scheme that takes one wants it, even when the security is
   * optional (`[..., {}]`); one opcli would fetch is fetched only when the operation requires it.
   */
  async forOperation(op: OperationModel, rejected?: string): Promise<IssuedToken | undefined> {
    if (op.security.length === 0) return undefined;
    const given = this.explicit();
    if (given) {
      const placement = placementFor(this.ctx.model, op);
      // RFC 7617: basic credentials are user-id ":" password; anything else cannot be right.
      if (placement?.form === "basic" && !given.includes(":") && !/^basic\s/i.test(given))
        throw new UsageError(
          `${op.id} uses HTTP basic authentication: --access-token must be user:password (RFC 7617)`,
        );
      return placement ? { token: given, source: "explicit", placement } : undefined;
    }
    const req = oauthRequirement(this.ctx.model, op);
    if (!req || securityOptional(op)) return undefined;
    return {
      ...(await this.obtain(req.scopes, { op, ...(rejected ? { rejected } : {}) })),
      placement: schemePlacement(this.ctx.model, req.scheme)!,
    };
  }

  /** Where forOperation's credential would go, without obtaining one (for --curl). */
  placementOf(op: OperationModel): CredentialPlacement | undefined {
    if (op.security.length === 0) return undefined;
    if (this.explicit()) return placementFor(this.ctx.model, op);
    const req = oauthRequirement(this.ctx.model, op);
    return req && !securityOptional(op) ? schemePlacement(this.ctx.model, req.scheme) : undefined;
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

  /** The client and the endpoints (with revocation and device ones) for logout and status. */
  async revocationContext(): Promise<{ creds: ClientCredentials | undefined; ep: Endpoints }> {
    const creds = await this.ctx.credentials();
    const ep = await this.endpoints(undefined, true);
    return { creds, ep };
  }
}
