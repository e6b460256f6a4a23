import {
  type AttemptRow,
  attemptState,
  currentAttempt,
  reserveAttempt,
  settleAttempt,
} from "../login-rules.js";
import type { LockoutPolicy, LoginAttemptState, LoginAttemptStore, Reservation } from "../types.js";
import type { SqlDatabase } from "./sql-database.js";
import type { StatementCache } from "./statements.js";

/** Lockout per user name; each decision is one IMMEDIATE transaction (the write lock), so it holds across processes. */
export class SqliteLoginAttempts implements LoginAttemptStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly sql: StatementCache,
  ) {}

  private read(username: string): AttemptRow | undefined {
    return this.sql
      .get("SELECT failures, pending, pending_at, locked_until FROM login_attempts WHERE username = ?")
      .get(username) as AttemptRow | undefined;
  }

  private write(username: string, r: AttemptRow, now: number): void {
    this.sql
      .get(
        `INSERT INTO login_attempts (username, failures, pending, pending_at, locked_until, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, pending = excluded.pending,
           pending_at = excluded.pending_at, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
      )
      .run(username, r.failures, r.pending, r.pending_at, r.locked_until, now);
  }

  async reserve(username: string, now: number, policy: LockoutPolicy): Promise<Reservation> {
    return this.db
      .transaction((): Reservation => {
        const { reservation, next } = reserveAttempt(
          currentAttempt(this.read(username), now, policy.pendingTtlMs),
          now,
          policy,
        );
        if (next) this.write(username, next, now);
        return reservation;
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
        const r = currentAttempt(this.read(username), now, policy.pendingTtlMs);
        const { result, next } = settleAttempt(r, success, now, policy);
        this.write(username, next, now);
        return result;
      })
      .immediate();
  }

  async state(username: string, now: number): Promise<LoginAttemptState> {
    return attemptState(this.read(username), now);
  }

  async unlock(username: string): Promise<void> {
    this.sql.get("UPDATE login_attempts SET failures = 0, locked_until = 0 WHERE username = ?").run(username);
  }

  async lock(username: string, until: number, now: number): Promise<void> {
    this.db
      .transaction(() => {
        const r = currentAttempt(this.read(username), now, Number.POSITIVE_INFINITY);
        this.write(username, { ...r, locked_until: Math.max(r.locked_until, until) }, now);
      })
      .immediate();
  }

  async purgeStale(before: number, now: number): Promise<number> {
    return this.sql
      .get("DELETE FROM login_attempts WHERE updated_at < ? AND locked_until <= ? AND pending = 0")
      .run(before, now).changes;
  }
}
