import type { LockoutPolicy, LoginAttemptState, Reservation } from "./types.js";

// The lockout decisions, the same for every backend: each backend reads the row under its own
// lock (SQLite's write lock, PostgreSQL's row lock), applies these, and writes the result.

export interface AttemptRow {
  failures: number;
  pending: number;
  pending_at: number;
  locked_until: number;
}

export const EMPTY_ATTEMPT: AttemptRow = { failures: 0, pending: 0, pending_at: 0, locked_until: 0 };

/** The row as of now: an expired lock starts the count afresh; stale reservations are dropped. */
export function currentAttempt(
  stored: AttemptRow | undefined,
  now: number,
  pendingTtlMs: number,
): AttemptRow {
  const r = { ...(stored ?? EMPTY_ATTEMPT) };
  if (r.locked_until !== 0 && r.locked_until <= now) Object.assign(r, { failures: 0, locked_until: 0 });
  if (r.pending > 0 && now - r.pending_at > pendingTtlMs) r.pending = 0;
  return r;
}

/** Whether an attempt may be evaluated now, and the row to write when it may. */
export function reserveAttempt(
  r: AttemptRow,
  now: number,
  policy: LockoutPolicy,
): { reservation: Reservation; next?: AttemptRow } {
  if (r.locked_until > now)
    return { reservation: { ok: false, reason: "locked", lockedUntil: r.locked_until } };
  if (r.failures + r.pending >= policy.threshold) return { reservation: { ok: false, reason: "busy" } };
  return { reservation: { ok: true }, next: { ...r, pending: r.pending + 1, pending_at: now } };
}

/** An attempt's outcome: a failure counts (and locks at the threshold); a success clears the count unless locked meanwhile. */
export function settleAttempt(
  r: AttemptRow,
  success: boolean,
  now: number,
  policy: LockoutPolicy,
): { result: "ok" | "locked"; next: AttemptRow } {
  const pending = Math.max(0, r.pending - 1);
  if (success) {
    if (r.locked_until > now) return { result: "locked", next: { ...r, pending } };
    return { result: "ok", next: { ...r, pending, failures: 0 } };
  }
  const failures = r.failures + 1;
  const locked_until = failures >= policy.threshold ? policy.lockUntil : r.locked_until;
  return { result: locked_until > now ? "locked" : "ok", next: { ...r, pending, failures, locked_until } };
}

export function attemptState(stored: AttemptRow | undefined, now: number): LoginAttemptState {
  const r = currentAttempt(stored, now, Number.POSITIVE_INFINITY);
  return { failures: r.failures, pending: r.pending, lockedUntil: r.locked_until > now ? r.locked_until : 0 };
}
