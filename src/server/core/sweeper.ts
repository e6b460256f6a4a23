import type { ServerCore } from "./core.js";

/** Small batches, each its own short transaction, with the event loop free between them. */
export const SWEEP_BATCH = 200;

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

export interface SweepStats {
  sessions: number;
  batches: number;
  /** The longest single batch, milliseconds: the most the event loop waited on the sweep. */
  longestBatchMs: number;
}

/**
 * Purges expired sessions in batches of SWEEP_BATCH, yielding between them so requests are
 * served while a large sweep runs; then expired grants, stale lockout records, and gives the
 * freed space back to the file system.
 */
export async function sweepOnce(
  core: Pick<ServerCore, "store" | "clock" | "config" | "sessions" | "events">,
): Promise<SweepStats> {
  const stats: SweepStats = { sessions: 0, batches: 0, longestBatchMs: 0 };
  for (;;) {
    const started = performance.now();
    const gone = await core.sessions.sweep(SWEEP_BATCH);
    stats.longestBatchMs = Math.max(stats.longestBatchMs, performance.now() - started);
    stats.sessions += gone.length;
    stats.batches++;
    if (gone.length < SWEEP_BATCH) break;
    await yieldToEventLoop();
  }
  const now = core.clock.now();
  await core.store.deviceCodes.purgeExpired(now);
  // Redeemed codes are kept a day past their expiry, so a replay still revokes what they issued.
  await core.store.authorizationCodes.purgeExpired(now - 86_400_000);
  await core.events.purge(now);
  // Settled deliveries are kept as long as the audit that names them.
  await core.store.outbox.purge(now - core.config.auditRetention * 1000);
  await core.store.refreshTokens.purgeExpired(now);
  await core.store.revocations.purgeExpired(now);
  await core.store.loginAttempts.purgeStale(now - core.config.lockoutDuration * 1000, now);
  // Freed space goes back a step at a time, the event loop free between steps.
  for (let step = 0; step < 1000 && (await core.store.reclaim()); step++) await yieldToEventLoop();
  return stats;
}

/** Sweeps every sweepInterval seconds (0: never), one sweep at a time. */
export function startSweeper(core: ServerCore): () => void {
  if (core.config.sweepInterval <= 0) return () => {};
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const s = await sweepOnce(core);
      if (s.sessions > 0) core.log.info("swept expired sessions", { count: s.sessions, batches: s.batches });
    } catch (err) {
      core.log.error("sweep failed", { error: (err as Error).message });
    } finally {
      running = false;
    }
  }, core.config.sweepInterval * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
