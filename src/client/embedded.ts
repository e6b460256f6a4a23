import { readFileSync } from "node:fs";
import type { ClientCredentials } from "../auth/client-credentials.js";
import { appFetch } from "../http/app-fetch.js";
import type { LiteFetch } from "../http/lite.js";
import { ConfigError } from "../platform/errors.js";

/** A host name that never reaches the network: requests go straight into the in-process app. */
export const EMBEDDED_ORIGIN = "http://embedded.opcli.invalid";

export interface Embedded {
  fetch: LiteFetch;
  credentials: ClientCredentials;
  dbPath: string;
  /** True when this call created and seeded the store (its first use). */
  created: boolean;
  close(): Promise<void>;
}

/**
 * The reference server in this process over the user's local store: provisions the admin client
 * and, on a store's first use, demo users logged in through the real login endpoint. Its issuer
 * sits at the path the bundled document names (`x-opcli-issuer-path`).
 */
export async function openEmbedded(
  env: Record<string, string | undefined>,
  issuerPath = "",
): Promise<Embedded> {
  const server = await import("../server/index.js");
  const dbPath = server.embeddedDbPath(env);
  let store: InstanceType<typeof server.SqliteStore>;
  try {
    store = new server.SqliteStore({
      path: dbPath,
      ...(env.OPCLI_SQLITE_DRIVER ? { driver: env.OPCLI_SQLITE_DRIVER } : {}),
    });
  } catch (err) {
    // The server's own error names the path; here it is the CLI's configuration that fails.
    throw new ConfigError(`embedded server: ${(err as Error).message}`);
  }
  const core = await server.createCore({ store, issuer: `${EMBEDDED_ORIGIN}${issuerPath}` });
  const app = server.createApp(core);
  await server.provisionAdminClient(core, dbPath);
  const created = (await core.users.count()) === 0;
  if (created) {
    // Demo users get a random password, kept in a 0600 file beside the store.
    await server.seedWithPasswordFile(core, app, dbPath, { users: 5, sessionsPerUser: 2 });
  }
  const creds = JSON.parse(readFileSync(server.adminCredentialsPath(dbPath), "utf8")) as {
    client_id: string;
    client_secret: string;
  };
  const fetch = appFetch(app);
  return {
    fetch,
    credentials: { clientId: creds.client_id, clientSecret: creds.client_secret },
    dbPath,
    created,
    close: () => store.close(),
  };
}
