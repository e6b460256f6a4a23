import type Database from "better-sqlite3";
import type { LockoutPolicy, LoginAttemptState, LoginAttemptStore, Reservation } from "../types.js";
import type { StatementCache } from "./statements.js";

interface Row {
  failures: number;
  pending: number;
  pending_at: number;
  locked_until: number;
}

const EMPTY: Row = { failures: 0, pending: 0, pending_at: 0, locked_until: 0 };

/** Lockout per user name; each decision is one IMMEDIATE transaction (the write lock), so it holds across processes. */
export class SqliteLoginAttempts implements LoginAttemptStore {
  constructor(
    private readonly db: Database.Database,
    private readonly sql: StatementCache,
  ) {}

  private read(username: string): Row {
    const r = this.sql
      .get("SELECT failures, pending, pending_at, locked_until FROM login_attempts WHERE username = ?")
      .get(username) as Row | undefined;
    return r ?? EMPTY;
  }

  private write(username: string, r: Row, now: number): void {
    this.sql
      .get(
        `INSERT INTO login_attempts (username, failures, pending, pending_at, locked_until, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, pending = excluded.pending,
           pending_at = excluded.pending_at, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
      )
      .run(username, r.failures, r.pending, r.pending_at, r.locked_until, now);
  }

  /** The row as of now: an expired lock starts the count afresh; stale reservations are dropped. */
  private current(username: string, now: number, pendingTtlMs: number): Row {
    const r = { ...this.read(username) };
    if (r.locked_until !== 0 && r.locked_until <= now) Object.assign(r, { failures: 0, locked_until: 0 });
    if (r.pending > 0 && now - r.pending_at > pendingTtlMs) r.pending = 0;
    return r;
  }

  async reserve(username: string, now: number, policy: LockoutPolicy): Promise<Reservation> {
    return this.db
      .transaction((): Reservation => {
        const r = this.current(username, now, policy.pendingTtlMs);
        if (r.locked_until > now) return { ok: false, reason: "locked", lockedUntil: r.locked_until };
        if (r.failures + r.pending >= policy.threshold) return { ok: false, reason: "busy" };
        this.write(username, { ...r, pending: r.pending + 1, pending_at: now }, now);
        return { ok: true };
      })
      .immediate();
  }

  async settle(
    username: string,
    success: boolean,
    now: number,
    policy: LockoutPolicy,
  ): Promise<"ok" | "locked"> {
    return this.db
      .transaction((): "ok" | "locked" => {
        const r = this.current(username, now, policy.pendingTtlMs);
        const pending = Math.max(0, r.pending - 1);
        if (success) {
          if (r.locked_until > now) {
            this.write(username, { ...r, pending }, now);
            return "locked";
          }
          this.write(username, { ...r, pending, failures: 0 }, now);
          return "ok";
        }
        const failures = r.failures + 1;
        const locked_until = failures >= policy.threshold ? policy.lockUntil : r.locked_until;
        this.write(username, { ...r, pending, failures, locked_until }, now);
        return locked_until > now ? "locked" : "ok";
      })
      .immediate();
  }

  async state(username: string, now: number): Promise<LoginAttemptState> {
    const r = this.current(username, now, Number.POSITIVE_INFINITY);
    return {
      failures: r.failures,
      pending: r.pending,
      lockedUntil: r.locked_until > now ? r.locked_until : 0,
    };
  }

  async unlock(username: string): Promise<void> {
    this.sql.get("UPDATE login_attempts SET failures = 0, locked_until = 0 WHERE username = ?").run(username);
  }

  async purgeStale(before: number, now: number): Promise<number> {
    return this.sql
      .get("DELETE FROM login_attempts WHERE updated_at < ? AND locked_until <= ? AND pending = 0")
      .run(before, now).changes;
  }
}
