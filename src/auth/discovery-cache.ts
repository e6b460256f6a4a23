import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../platform/atomic-write.js";
import type { Discovery } from "./token-url.js";

// OpenID discovery results kept between runs, keyed by origin, so that a cached token costs no
// network at all when the document's tokenUrl is a placeholder (the Janssen document's is).

export interface DiscoveryStore {
  get(origin: string): Discovery | undefined;
  set(origin: string, found: Discovery): void;
}

/** Entries older than this are discovered again. */
export const DISCOVERY_TTL_MS = 24 * 3600_000;

type Entries = Record<string, { at: number; found: Discovery }>;

/** A JSON file of origin -> {at, found} (no secrets: endpoints only); unreadable means empty. */
export function fileDiscoveryStore(path: string, now: () => number): DiscoveryStore {
  const read = (): Entries => {
    try {
      const v = JSON.parse(readFileSync(path, "utf8")) as unknown;
      return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Entries) : {};
    } catch {
      return {};
    }
  };
  return {
    get(origin) {
      const e = read()[origin];
      if (!e || typeof e.at !== "number" || now() - e.at > DISCOVERY_TTL_MS) return undefined;
      return typeof e.found?.token_endpoint === "string" ? e.found : undefined;
    },
    set(origin, found) {
      if (!found.token_endpoint) return;
      try {
        writeFileAtomic(path, `${JSON.stringify({ ...read(), [origin]: { at: now(), found } })}\n`, 0o600);
      } catch {
        // A cache that cannot be written only costs a discovery next time.
      }
    },
  };
}
