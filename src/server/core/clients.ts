import { randomUUID } from "node:crypto";
import type { ClientRecord, Store } from "../store/types.js";
import type { Clock } from "./clock.js";
import { ALL_SCOPES } from "./oauth/scopes.js";
import { hashSecret, randomToken, verifySecret } from "./passwords.js";

export interface ClientCredentials {
  client_id: string;
  client_secret: string;
  scopes: string[];
}

export class ClientError extends Error {
  override name = "ClientError";
}

/** OAuth clients: registration (the secret shown once, stored hashed) and secret checks. */
export class ClientService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async create(name: string, scopes: readonly string[]): Promise<ClientCredentials> {
    const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
    if (unknown.length > 0) throw new ClientError(`unknown scope(s): ${unknown.join(", ")}`);
    const clientId = `${name}-${randomUUID()}`;
    const secret = randomToken();
    await this.store.clients.insert({
      clientId,
      secretHash: hashSecret(secret),
      scopes: [...scopes],
      name,
      createdAt: this.clock.now(),
    });
    return { client_id: clientId, client_secret: secret, scopes: [...scopes] };
  }

  /** The client when the secret matches; undefined for an unknown client or a wrong secret. */
  async verify(clientId: string, secret: string): Promise<ClientRecord | undefined> {
    const client = await this.store.clients.get(clientId);
    return client && verifySecret(secret, client.secretHash) ? client : undefined;
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
