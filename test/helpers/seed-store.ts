import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cookieHash } from "../../src/server/core/sessions.js";
import { SqliteStore } from "../../src/server/store/sqlite/store.js";
import type { SessionRecord } from "../../src/server/store/types.js";

/** A fresh server directory whose store already holds n sessions (through the store API). */
export async function seededServerDir(
  n: number,
  users = Math.max(1, Math.ceil(n / 10)),
): Promise<{ dir: string; sids: string[]; dns: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "opcli-seeded-"));
  const store = new SqliteStore({ path: join(dir, "server.db") });
  const now = Date.now();
  const sids: string[] = [];
  const dns = Array.from({ length: users }, (_, u) => `inum=seed-${u},ou=people,o=jans`);
  const recs: SessionRecord[] = [];
  for (let i = 0; i < n; i++) {
    const sid = randomUUID();
    sids.push(sid);
    const created = now - (n - i) * 10;
    recs.push({
      sid,
      cookieHash: cookieHash(`seed-${sid}`),
      userDn: dns[i % users]!,
      state: "authenticated",
      createdAt: created,
      lastUsedAt: created,
      authTime: created,
      absoluteExpiresAt: now + 86_400_000,
      expiresAt: now + 3_600_000,
      permissionGranted: false,
      secure: false,
      id: `rec-${sid}`,
      grants: {},
      handle: `shandle:seed-${sid}`,
      realm: "/",
      properties: {},
      attributes: { auth_user: `seed-user-${i % users}`, client_id: "seed", acr: "simple_password_auth" },
    });
  }
  await store.sessions.insertMany(recs);
  await store.close();
  return { dir, sids, dns };
}
