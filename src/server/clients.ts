import { randomUUID } from "node:crypto";
import type { Clock } from "./clock.js";
import { ALL_SCOPES } from "./oauth/scopes.js";
import { hashSecret, randomToken } from "./passwords.js";
import type { Store } from "./store/types.js";

export interface ClientCredentials {
  client_id: string;
  client_secret: string;
  scopes: string[];
}

/** Registers an OAuth client; the secret is returned once and stored only as a hash. */
export function createClient(
  store: Store,
  clock: Clock,
  name: string,
  scopes: readonly string[] = ALL_SCOPES,
): ClientCredentials {
  const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
  if (unknown.length > 0) throw new Error(`unknown scope(s): ${unknown.join(", ")}`);
  const clientId = `${name}-${randomUUID()}`;
  const secret = randomToken();
  store.insertClient({
    clientId,
    secretHash: hashSecret(secret),
    scopes: [...scopes],
    name,
    createdAt: clock.now(),
  });
  return { client_id: clientId, client_secret: secret, scopes: [...scopes] };
}
