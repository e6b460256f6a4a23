import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheKey, credentialFingerprint } from "../../src/auth/stored-token.js";
import type { LiteFetch } from "../../src/http/lite.js";
import { appTransport, runInProcess, testEnv } from "../helpers/cli-io.js";
import { type Harness, harness } from "../helpers/server-harness.js";

// The token cache is keyed by a fingerprint of the credentials that obtained the token: a changed
// (or wrong) secret is never answered from the cache, and the secret itself is never stored.

let h: Harness;
let tokenRequests = 0;
let transport: LiteFetch;
beforeAll(async () => {
  h = await harness();
  const app = appTransport(h.app);
  transport = async (req) => {
    if (req.url.includes("/token")) tokenRequests++;
    return app(req);
  };
});
afterAll(async () => h.close());

const HOST = "http://ref.test";

describe("credential fingerprint", () => {
  it("a wrong secret costs one token request and fails, though a token is cached; the right one is cached", async () => {
    const env = testEnv({ OPCLI_HOST: HOST, OPCLI_CLIENT_ID: h.admin.client_id });
    const call = (secret: string) =>
      runInProcess(["--operation-id", "get-sessions"], {
        env: { ...env, OPCLI_CLIENT_SECRET: secret },
        transport,
      });
    tokenRequests = 0;
    expect((await call(h.admin.client_secret)).code).toBe(0);
    expect(tokenRequests).toBe(1);
    const wrong = await call("not-the-secret");
    expect(wrong.code).toBe(4);
    expect(tokenRequests).toBe(2);
    expect((await call(h.admin.client_secret)).code).toBe(0);
    expect(tokenRequests).toBe(2);
    // Neither secret is in the cache's files.
    const files = readdirSync(env.HOME!, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => readFileSync(join(f.parentPath, f.name), "utf8"));
    expect(files.length).toBeGreaterThan(0);
    for (const text of files) {
      expect(text).not.toContain(h.admin.client_secret);
      expect(text).not.toContain("not-the-secret");
    }
  });

  it.each([
    ["the secret", ["u", "c", "s1"], ["u", "c", "s2"]],
    ["the client", ["u", "c1", "s"], ["u", "c2", "s"]],
    ["the token endpoint", ["u1", "c", "s"], ["u2", "c", "s"]],
  ])("differs when %s differs, and so does the cache key", (_what, a, b) => {
    const fa = credentialFingerprint(a[0]!, a[1]!, a[2]);
    const fb = credentialFingerprint(b[0]!, b[1]!, b[2]);
    expect(fa).not.toBe(fb);
    expect(fa).not.toContain(a[2]!);
    expect(cacheKey({ tokenUrl: "u", clientId: "c", scopes: [], fingerprint: fa })).not.toBe(
      cacheKey({ tokenUrl: "u", clientId: "c", scopes: [], fingerprint: fb }),
    );
  });
});
