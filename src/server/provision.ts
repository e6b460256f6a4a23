import { chmodSync, writeFileSync } from "node:fs";
import { createClient } from "./clients.js";
import type { ServerDeps } from "./deps.js";
import { adminCredentialsPath } from "./paths.js";

/** On a store with no clients, creates the admin client and writes its credentials (0600). */
export function provisionAdminClient(deps: ServerDeps, dbPath: string): string | null {
  if (deps.store.countClients() > 0) return null;
  const path = adminCredentialsPath(dbPath);
  const creds = createClient(deps.store, deps.clock, "admin");
  const body = `${JSON.stringify(creds, null, 2)}\n`;
  // A file left by an earlier store holds credentials this store does not know: replace it.
  writeFileSync(path, body, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
