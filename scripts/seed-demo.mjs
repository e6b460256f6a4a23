#!/usr/bin/env node
// Creates demo users and logs each in through the real login endpoint (scrypt check, per-user
// cap, cookies), for demos and benchmarks. The per-user cap (default 10) bounds sessions per user.
// Usage: node scripts/seed-demo.mjs [--db FILE] [--users N] [--sessions-per-user M] [--password P]
import { parseArgs } from "node:util";
import { createApp, createCore, defaultDbPath, SqliteStore, seedDemo } from "../dist/server-lib.js";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: defaultDbPath() },
    users: { type: "string", default: "20" },
    "sessions-per-user": { type: "string", default: "5" },
    password: { type: "string", default: "demo-password-123" },
  },
});
const store = new SqliteStore({ path: values.db });
const deps = await createCore({ store });
const started = performance.now();
const { sessions } = await seedDemo(deps, createApp(deps), {
  users: Number(values.users),
  sessionsPerUser: Number(values["sessions-per-user"]),
  password: values.password,
});
await store.close();
console.log(
  `${values.users} users, ${sessions} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${values.db}`,
);
