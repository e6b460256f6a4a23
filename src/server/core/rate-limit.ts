/**
 * A fixed-window counter per key (one window a minute), in memory: limits are per server
 * instance. The map is bounded; when full, windows that have ended are dropped first, then all.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one event for key; when over the limit, the seconds until the window ends. */
  take(key: string, now: number): { ok: true } | { ok: false; retryAfter: number } {
    if (this.perMinute <= 0) return { ok: true };
    const start = now - (now % 60_000);
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      if (this.windows.size >= this.maxKeys) this.prune(start);
      w = { start, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count <= this.perMinute) return { ok: true };
    return { ok: false, retryAfter: Math.max(1, Math.ceil((start + 60_000 - now) / 1000)) };
  }

  private prune(start: number): void {
    for (const [k, w] of this.windows) if (w.start !== start) this.windows.delete(k);
    if (this.windows.size >= this.maxKeys) this.windows.clear();
  }
}
