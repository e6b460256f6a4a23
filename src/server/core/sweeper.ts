import type { ServerCore } from "./core.js";

const BATCH = 1000;

/** Purges expired sessions in small batches so writers never wait long behind it. */
export async function sweepOnce(core: Pick<ServerCore, "store" | "clock">): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await core.store.sessions.sweepExpired(core.clock.now(), BATCH);
    total += n;
    if (n < BATCH) return total;
  }
}

export function startSweeper(core: ServerCore): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const n = await sweepOnce(core);
      if (n > 0) core.log.info("swept expired sessions", { count: n });
    } catch (err) {
      core.log.error("sweep failed", { error: (err as Error).message });
    } finally {
      running = false;
    }
  }, core.config.sweepInterval * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
