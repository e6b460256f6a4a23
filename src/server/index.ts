// The reference server as a library, for scripts and benchmarks (and the CLI's embedded default).
export { createApp, createDeps, SERVER_VERSION } from "./app.js";
export { createClient } from "./clients.js";
export { ManualClock, systemClock } from "./clock.js";
export { DEFAULT_CONFIG, resolveConfig } from "./config.js";
export { adminCredentialsPath, defaultDbPath } from "./paths.js";
export { provisionAdminClient } from "./provision.js";
export { seedDemo } from "./seed.js";
export { cookieHash } from "./sessions.js";
export { SqliteStore } from "./store/sqlite.js";
export { createUser } from "./users.js";
