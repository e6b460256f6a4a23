import { describe, expect, it, vi } from "vitest";
import { CLIENT_CACHE_MS } from "../../src/server/core/clients.js";
import { ManualClock } from "../../src/server/core/clock.js";
import { resolveConfig } from "../../src/server/core/config.js";
import { createCore } from "../../src/server/core/core.js";
import { SqliteStore } from "../../src/server/store/sqlite/store.js";
import { must } from "../helpers/must.js";

// The token grant's client record is read once per CLIENT_CACHE_MS per instance; a change made
// through this instance is seen by the very next check.
async function setup() {
  const store = new SqliteStore({ path: ":memory:" });
  const clock = new ManualClock(Date.now());
  const core = await createCore({ store, clock, config: resolveConfig({ passwordHashCost: 1024 }) });
  const c = must(await core.clients.create("rp", ["openid"]));
  const reads = vi.spyOn(store.clients, "get");
  return { core, clock, store, c, reads, secret: c.client_secret ?? "" };
}

describe("the client record cache", () => {
  it("serves repeated secret checks from one store read, and refuses a wrong secret from it", async () => {
    const { core, c, reads, secret } = await setup();
    for (let i = 0; i < 5; i++)
      expect((await core.clients.verify(c.client_id, secret))?.clientId).toBe(c.client_id);
    expect(await core.clients.verify(c.client_id, `${secret}x`)).toBeUndefined();
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it("reads the store again once the entry is older than CLIENT_CACHE_MS", async () => {
    const { core, clock, c, reads, secret } = await setup();
    await core.clients.verify(c.client_id, secret);
    clock.advance(CLIENT_CACHE_MS + 1);
    await core.clients.verify(c.client_id, secret);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it("sees an update made through this instance on the next check", async () => {
    const { core, c, secret } = await setup();
    await core.clients.verify(c.client_id, secret);
    must(await core.clients.update(c.client_id, { backchannelLogoutUri: "https://rp.example/bc" }));
    expect((await core.clients.verify(c.client_id, secret))?.backchannelLogoutUri).toBe(
      "https://rp.example/bc",
    );
  });

  it("never caches an unknown client", async () => {
    const { core, reads } = await setup();
    expect(await core.clients.verify("nobody", "x")).toBeUndefined();
    expect(await core.clients.verify("nobody", "x")).toBeUndefined();
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
