import { describe, expect, it } from "vitest";
import { SeedError, seedAddress, seedDemo } from "../../src/server/cli/seed.js";
import { harness } from "../helpers/server-harness.js";

// `opcli-server seed` does what it is asked or fails; its sessions come from varied addresses and
// user agents, as a demo of session management needs.

interface Listed {
  entries: {
    sessionAttributes: { remote_ip?: string; user_agent?: string; auth_user?: string; client_id?: string };
  }[];
  totalEntriesCount: number;
}

describe("seed", () => {
  it("--users 20 --sessions-per-user 5 makes 100 sessions under the per-address login limit", async () => {
    // The default per-address limit (60 a minute), which in-process sign-ins used to hit.
    const h = await harness({ loginAttemptsPerAddressPerMinute: 60 });
    try {
      expect(
        await seedDemo(h.deps, h.app, { users: 20, sessionsPerUser: 5, password: "seed-password-long-1" }),
      ).toEqual({
        sessions: 100,
      });
      const res = await h.api("/search?limit=200");
      const page = (await res.json()) as Listed;
      expect(page.totalEntriesCount).toBe(100);
      const ips = new Set(page.entries.map((e) => e.sessionAttributes.remote_ip));
      const agents = new Set(page.entries.map((e) => e.sessionAttributes.user_agent));
      expect(ips.has("unknown") || ips.has(undefined)).toBe(false);
      expect(ips.size).toBeGreaterThan(20);
      expect(agents.size).toBeGreaterThan(3);
      // Each session started at a demo client, and every demo client has some (the client column and filter).
      const clients = page.entries.map((e) => e.sessionAttributes.client_id);
      expect(clients.every((c) => typeof c === "string" && c.startsWith("demo-"))).toBe(true);
      expect(new Set(clients).size).toBe(3);
      // Some users sign in from many places (the IP-spread alarm), most from one or two.
      const perUser = new Map<string, Set<string>>();
      for (const e of page.entries)
        perUser.set(
          e.sessionAttributes.auth_user!,
          (perUser.get(e.sessionAttributes.auth_user!) ?? new Set()).add(e.sessionAttributes.remote_ip!),
        );
      const spreads = [...perUser.values()].map((s) => s.size);
      expect(Math.max(...spreads)).toBe(5);
      expect(spreads.filter((n) => n <= 2).length).toBeGreaterThan(10);
    } finally {
      await h.close();
    }
  });

  it("fails, naming the shortfall, when the server refuses sessions (more than maxSessionsPerUser)", async () => {
    const h = await harness();
    try {
      await expect(
        seedDemo(h.deps, h.app, { users: 1, sessionsPerUser: 11, password: "seed-password-long-1" }),
      ).rejects.toThrow(SeedError);
      await expect(
        seedDemo(h.deps, h.app, {
          users: 1,
          sessionsPerUser: 11,
          password: "seed-password-long-1",
          prefix: "x",
        }),
      ).rejects.toThrow(/^seed made 10 of 11 sessions \(x-001: HTTP 4\d\d /);
    } finally {
      await h.close();
    }
  });

  it.each([1, 2, 7, 14, 20])("seedAddress(%i, ·) is a documentation address", (u) => {
    for (let i = 0; i < 5; i++)
      expect(seedAddress(u, i)).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.([1-9]\d?|1\d\d|2[0-5]\d)$/);
  });
});
