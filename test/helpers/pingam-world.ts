import { expect } from "vitest";
import { userIdOfDn } from "../../src/server/store/query.js";
import { must } from "./must.js";
import { cookieOf, type Harness, harness, PASSWORD } from "./server-harness.js";

// A reference server set up as PingAM's seed (002) assumes: realm alpha, user bjensen with two
// real sessions made through the login path, and a service account's access token.

/** The seed's timeouts: 30 minutes idle, 120 minutes in all. */
export const SEED_CONFIG = {
  sessionIdUnusedLifetime: 1800,
  sessionIdLifetime: 7200,
  realms: {
    "/alpha": {
      sessionPropertyWhitelist: ["LoginLocation"],
      sessionQueryProperties: ["AMCtxId", "AuthType"],
    },
    "/beta": { sessionPropertyWhitelist: ["LoginLocation"], sessionQueryProperties: [] },
  },
};

export interface SeedWorld {
  h: Harness;
  userId: string;
  tokens: string[];
  handles: string[];
  accessToken: string;
}

export async function seedWorld(): Promise<SeedWorld> {
  const h = await harness(SEED_CONFIG);
  const user = must(await h.deps.users.create("bjensen", PASSWORD, { realm: "/alpha" }));
  const tokens: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await h.login("bjensen");
    expect(res.status).toBe(200);
    tokens.push(cookieOf(res));
    h.clock.advance(60_000);
  }
  const handles = await Promise.all(tokens.map(async (t) => (await h.deps.sessions.byToken(t))!.handle));
  return { h, userId: userIdOfDn(user.dn)!, tokens, handles, accessToken: await h.token() };
}
