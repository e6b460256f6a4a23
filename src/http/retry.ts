import type { LiteFetch, LiteResponse } from "./lite.js";
import { NetworkError } from "./network-error.js";

// The retry policy, in one place:
// - only idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE) are retried: a POST or PATCH
//   that timed out may have been applied, and sending it again could apply it twice;
// - retried: network errors (refused, reset, timeout) and 408, 429, 502, 503, 504;
// - the wait honours Retry-After (seconds or an HTTP date), capped at maxRetryAfterMs, and
//   otherwise backs off exponentially from baseDelayMs with full jitter, capped at maxDelayMs.

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 2,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);
const RETRY_STATUS = new Set([408, 429, 502, 503, 504]);

export interface RetryIO {
  sleep(ms: number): Promise<void>;
  now(): number;
  random(): number;
  /** One line per retry, for --debug. */
  note?(line: string): void;
}

/** Milliseconds a Retry-After header asks for, or undefined. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function backoffMs(attempt: number, policy: RetryPolicy, random: number): number {
  return Math.floor(random * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

export function withRetries(fetch: LiteFetch, policy: RetryPolicy, io: RetryIO): LiteFetch {
  return async (req) => {
    const retryable = IDEMPOTENT.has(req.method);
    for (let attempt = 0; ; attempt++) {
      let res: LiteResponse | undefined;
      let failure: unknown;
      try {
        res = await fetch(req);
      } catch (err) {
        failure = err;
      }
      const transient =
        (failure instanceof NetworkError && failure.code !== "ETOOLARGE") ||
        (res !== undefined && RETRY_STATUS.has(res.status));
      if (!retryable || !transient || attempt >= policy.retries) {
        if (failure !== undefined) throw failure;
        return res!;
      }
      const asked = res ? retryAfterMs(res.headers.get("retry-after"), io.now()) : undefined;
      const wait =
        asked !== undefined
          ? Math.min(asked, policy.maxRetryAfterMs)
          : backoffMs(attempt, policy, io.random());
      const why = res ? `HTTP ${res.status}` : (failure as Error).message;
      io.note?.(
        `retry ${attempt + 1}/${policy.retries} of ${req.method} ${req.url} after ${why}, waiting ${wait} ms`,
      );
      await io.sleep(wait);
    }
  };
}
