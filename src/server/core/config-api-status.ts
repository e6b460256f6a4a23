import type { ServerCore } from "./core.js";
import { ok, type Result } from "./errors.js";
import { DEFAULT_PAGE_SIZE, intParam } from "./session-search.js";

// What Janssen's config-api answers at its clients' start-up (health, persistence, plugins,
// attributes), told truthfully for this server: its one service, its store, no plugins, no attributes.

/** Janssen's Status: one named check. */
export interface HealthCheck {
  name: string;
  status: "UP" | "DOWN";
  error?: string;
}

const LIVENESS = "jans-config-api liveness";
const READINESS = "jans-config-api readiness";

/** The readiness check: whether the store answers (as Janssen's reads its configuration). */
export async function readiness(core: ServerCore): Promise<HealthCheck> {
  return (await core.store.healthy())
    ? { name: READINESS, status: "UP" }
    : { name: READINESS, status: "DOWN", error: "the session store is unavailable" };
}

export const liveness = (): HealthCheck => ({ name: LIVENESS, status: "UP" });

/** get-config-health: both checks, as Janssen lists them (its TUI wants every one UP). */
export async function healthChecks(core: ServerCore): Promise<HealthCheck[]> {
  return [liveness(), await readiness(core)];
}

const PRODUCTS: Readonly<Record<string, { productName: string; driverName: string }>> = {
  sqlite: { productName: "SQLite", driverName: "better-sqlite3" },
  postgresql: { productName: "PostgreSQL", driverName: "pg" },
};

/** get-properties-persistence: which database product holds the sessions. */
export function persistence(core: ServerCore): Record<string, string> {
  return PRODUCTS[core.store.kind] ?? { productName: core.store.kind };
}

/** get-server-stat: the store kind and when this was read (no host facts: the operation is open). */
export function serverStat(core: ServerCore): { dbType: string; lastUpdate: string } {
  return { dbType: core.store.kind, lastUpdate: new Date(core.clock.now()).toISOString() };
}

/** The services this server is, under Janssen's names. */
const SERVICES = ["jans-auth", "jans-config-api"] as const;

/** get-service-status: ours run; any other Janssen service is "Not present" (its own wording). */
export function serviceStatus(service: string | undefined): Record<string, string> {
  const names = !service || service.toLowerCase() === "all" ? SERVICES : [service];
  return Object.fromEntries(
    names.map((n) => [n, (SERVICES as readonly string[]).includes(n) ? "Running" : "Not present"]),
  );
}

/** get-app-version: this server's version, under its own name. */
export function appVersion(core: ServerCore, artifact: string | undefined): Record<string, string> {
  const all = !artifact || artifact.toLowerCase() === "all";
  return all || artifact === "opcli-server" ? { "opcli-server": core.version } : {};
}

/** A page of Janssen's PagedResult. */
export interface PagedResult {
  start: number;
  totalEntriesCount: number;
  entriesCount: number;
  entries: Record<string, unknown>[];
}

/** get-attributes: we hold no attributes, so every well-formed query gets an empty page. */
export function attributes(q: { limit?: string; startIndex?: string }): Result<PagedResult> {
  const limit = intParam(q.limit, "limit", DEFAULT_PAGE_SIZE, 1);
  if (!limit.ok) return limit;
  const start = intParam(q.startIndex, "startIndex", 0, 0);
  if (!start.ok) return start;
  return ok({ start: start.value, totalEntriesCount: 0, entriesCount: 0, entries: [] });
}

/** get-plugins: the config-api plugins deployed here (fido2, scim, user-management...): none. */
export const plugins = (): { name: string; description: string }[] => [];
