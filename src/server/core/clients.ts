import { randomUUID } from "node:crypto";
import type { ClientRecord, Store } from "../store/types.js";
import type { Clock } from "./clock.js";
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

export class ClientError extends Error {
  override name = "ClientError";
}

/** A redirect URI: absolute http(s), no fragment (RFC 6749 3.1.2); http only for loopback. */
export function checkRedirect(uri: string, what = "redirect URI"): void {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new ClientError(`${what} "${uri}" is not an absolute URL`);
  }
  if (u.hash) throw new ClientError(`${what} "${uri}" has a fragment`);
  // The whole loopback range (RFC 8252 7.3 names 127.0.0.1; any 127/8 address stays on the machine).
  const loopback = ["localhost", "[::1]"].includes(u.hostname) || /^127(\.\d{1,3}){3}$/.test(u.hostname);
  if (u.protocol !== "https:" && !(u.protocol === "http:" && loopback))
    throw new ClientError(`${what} "${uri}" must be https (http only on loopback)`);
}

/** Back-Channel Logout 1.0 section 2.2: absolute, no fragment (a query is allowed). */
function checkBackchannel(opts: ClientOptions): void {
  if (opts.backchannelLogoutUri) checkRedirect(opts.backchannelLogoutUri, "backchannel_logout_uri");
}

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
  ): Promise<ClientCredentials> {
    const unknown = scopes.filter((s) => !KNOWN_SCOPES.includes(s));
    if (unknown.length > 0) throw new ClientError(`unknown scope(s): ${unknown.join(", ")}`);
    for (const uri of [...(opts.redirectUris ?? []), ...(opts.postLogoutRedirectUris ?? [])])
      checkRedirect(uri);
    checkBackchannel(opts);
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
    return { client_id: clientId, ...(secret ? { client_secret: secret } : {}), scopes: [...scopes] };
  }

  /** Changes a client's back-channel logout registration; undefined when there is no such client. */
  async update(clientId: string, opts: ClientOptions): Promise<ClientRecord | undefined> {
    checkBackchannel(opts);
    const updated = await this.store.clients.update(clientId, {
      ...(opts.backchannelLogoutUri !== undefined ? { backchannelLogoutUri: opts.backchannelLogoutUri } : {}),
      ...(opts.backchannelLogoutSessionRequired !== undefined
        ? { backchannelLogoutSessionRequired: opts.backchannelLogoutSessionRequired }
        : {}),
    });
    // Dropped after the write, so that the next secret check reads the new record.
    this.cache.delete(clientId);
    return updated;
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
