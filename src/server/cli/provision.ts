import { writeFileAtomic } from "../../platform/atomic-write.js";
import type { ServerCore } from "../core/core.js";
import { ALL_SCOPES } from "../core/oauth/scopes.js";
import { adminCredentialsPath } from "./paths.js";

/** On a store with no clients, creates the admin client and writes its credentials (0600). */
export async function provisionAdminClient(core: ServerCore, dbPath: string): Promise<string | null> {
  if ((await core.clients.count()) > 0) return null;
  const path = adminCredentialsPath(dbPath);
  const creds = await core.clients.create("admin", ALL_SCOPES);
  // A file left by an earlier store holds credentials this store does not know: replace it.
  writeFileAtomic(path, `${JSON.stringify(creds, null, 2)}\n`, 0o600);
  return path;
}
