import type { ServerDeps } from "./deps.js";

const BATCH = 1000;

/** Purges expired sessions in small batches so writers never wait long behind it. */
export function sweepOnce(deps: Pick<ServerDeps, "store" | "clock">): number {
  let total = 0;
  for (;;) {
    const n = deps.store.sweepExpired(deps.clock.now(), BATCH);
    total += n;
    if (n < BATCH) return total;
  }
}

export function startSweeper(deps: ServerDeps): () => void {
  const timer = setInterval(() => {
    try {
      const n = sweepOnce(deps);
      if (n > 0) deps.log.info("swept expired sessions", { count: n });
    } catch (err) {
      deps.log.error("sweep failed", { error: (err as Error).message });
    }
  }, deps.config.sweepInterval * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
