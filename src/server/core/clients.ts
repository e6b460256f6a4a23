import { randomUUID } from "node:crypto";
import type { ClientRecord, Store } from "../store/types.js";
import type { Clock } from "./clock.js";
import { fail, ok, type Result } from "./errors.js";
import { KNOWN_SCOPES } from "./oauth/scopes.js";
import { hashSecret, randomToken, verifySecret } from "./passwords.js";

export interface ClientCredentials {
  client_id: string;
  /** Absent for a public client. */
  client_secret?: string;
  scopes: string[];
}

export interface ClientOptions {
  type?: ClientRecord["type"];
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  userinfoJwt?: boolean;
  /** Where logout tokens go; null clears it. */
  backchannelLogoutUri?: string | null;
  backchannelLogoutSessionRequired?: boolean;
  /** A fixed client id (demo data): by default the name and a random UUID. */
  clientId?: string;
}

/** Why a redirect URI is refused, if it is: absolute http(s), no fragment (RFC 6749 3.1.2); http only for loopback. */
export function redirectProblem(uri: string, what = "redirect URI"): string | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return `${what} "${uri}" is not an absolute URL`;
  }
  if (u.hash) return `${what} "${uri}" has a fragment`;
  // The whole loopback range (RFC 8252 7.3 names 127.0.0.1; any 127/8 address stays on the machine).
  const loopback = ["localhost", "[::1]"].includes(u.hostname) || /^127(\.\d{1,3}){3}$/.test(u.hostname);
  if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback))
    return `${what} "${uri}" must be https (http only on loopback)`;
  return undefined;
}

/** Back-Channel Logout 1.0 section 2.2: absolute, no fragment (a query is allowed). */
const backchannelProblem = (opts: ClientOptions) =>
  opts.backchannelLogoutUri
    ? redirectProblem(opts.backchannelLogoutUri, "backchannel_logout_uri")
    : undefined;

/**
 * How long a client record read for a secret check is reused. Its secret hash, type and scopes never
 * change after registration; what can change (back-channel logout settings) is dropped from this
 * instance's cache at once, and another instance's change is seen within this long.
 */
export const CLIENT_CACHE_MS = 5_000;
const CLIENT_CACHE_LIMIT = 10_000;

/** OAuth clients: registration (the secret shown once, stored hashed) and secret checks. */
export class ClientService {
  private readonly cache = new Map<string, { client: ClientRecord; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The client record, from this instance's short-lived cache when fresh (absent ones are not kept). */
  private async cached(clientId: string): Promise<ClientRecord | undefined> {
    const now = this.clock.now();
    const hit = this.cache.get(clientId);
    if (hit && hit.until > now) return hit.client;
    const client = await this.store.clients.get(clientId);
    if (this.cache.size >= CLIENT_CACHE_LIMIT) this.cache.clear();
    if (client) this.cache.set(clientId, { client, until: now + CLIENT_CACHE_MS });
    else this.cache.delete(clientId);
    return client;
  }

  async create(
    name: string,
    scopes: readonly string[],
    opts: ClientOptions = {},
  ): Promise<Result<ClientCredentials>> {
    const unknown = scopes.filter((s) => !KNOWN_SCOPES.includes(s));
    if (unknown.length > 0) return fail("invalid", `unknown scope(s): ${unknown.join(", ")}`);
    const uris = [...(opts.redirectUris ?? []), ...(opts.postLogoutRedirectUris ?? [])];
    const problem = uris.map((u) => redirectProblem(u)).find(Boolean) ?? backchannelProblem(opts);
    if (problem) return fail("invalid", problem);
    const type = opts.type ?? "confidential";
    const clientId = opts.clientId ?? `${name}-${randomUUID()}`;
    const secret = type === "confidential" ? randomToken() : undefined;
    await this.store.clients.insert({
      clientId,
      secretHash: secret ? hashSecret(secret) : "",
      scopes: [...scopes],
      name,
      createdAt: this.clock.now(),
      type,
      redirectUris: opts.redirectUris ?? [],
      postLogoutRedirectUris: opts.postLogoutRedirectUris ?? [],
      userinfoJwt: opts.userinfoJwt === true,
      backchannelLogoutUri: opts.backchannelLogoutUri ?? null,
      backchannelLogoutSessionRequired: opts.backchannelLogoutSessionRequired === true,
    });
    return ok({ client_id: clientId, ...(secret ? { client_secret: secret } : {}), scopes: [...scopes] });
  }

  /** Changes a client's back-channel logout registration. */
  async update(clientId: string, opts: ClientOptions): Promise<Result<ClientRecord>> {
    const problem = backchannelProblem(opts);
    if (problem) return fail("invalid", problem);
    const updated = await this.store.clients.update(clientId, {
      ...(opts.backchannelLogoutUri !== undefined ? { backchannelLogoutUri: opts.backchannelLogoutUri } : {}),
      ...(opts.backchannelLogoutSessionRequired !== undefined
        ? { backchannelLogoutSessionRequired: opts.backchannelLogoutSessionRequired }
        : {}),
    });
    // Dropped after the write, so that the next secret check reads the new record.
    this.cache.delete(clientId);
    return updated ? ok(updated) : fail("not_found", "no such client");
  }

  /** The confidential client when the secret matches; undefined otherwise. */
  async verify(clientId: string, secret: string): Promise<ClientRecord | undefined> {
    const client = await this.cached(clientId);
    if (client?.type !== "confidential") return undefined;
    return verifySecret(secret, client.secretHash) ? client : undefined;
  }

  count(): Promise<number> {
    return this.store.clients.count();
  }

  async exists(clientId: string): Promise<boolean> {
    return (await this.store.clients.get(clientId)) !== undefined;
  }

  get(clientId: string): Promise<ClientRecord | undefined> {
    return this.store.clients.get(clientId);
  }
}
