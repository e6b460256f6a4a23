import {
  type AttemptRow,
  attemptState,
  currentAttempt,
  reserveAttempt,
  settleAttempt,
} from "../login-rules.js";
import type { LockoutPolicy, LoginAttemptState, LoginAttemptStore, Reservation } from "../types.js";
import type { PgDb, Queryable } from "./db.js";

const COLUMNS = "failures, pending, pending_at, locked_until";

/** Lockout per user name; each decision holds the name's row lock, so it holds across instances. */
export class PgLoginAttempts implements LoginAttemptStore {
  constructor(private readonly db: PgDb) {}

  /** The name's row, locked until commit (created first, so there is a row to lock). */
  private async locked(c: Queryable, username: string): Promise<AttemptRow> {
    await c.query("INSERT INTO login_attempts (username) VALUES ($1) ON CONFLICT (username) DO NOTHING", [
      username,
    ]);
    const { rows } = await c.query(`SELECT ${COLUMNS} FROM login_attempts WHERE username = $1 FOR UPDATE`, [
      username,
    ]);
    return rows[0] as unknown as AttemptRow;
  }

  private async write(c: Queryable, username: string, r: AttemptRow, now: number): Promise<void> {
    await c.query(
      "UPDATE login_attempts SET failures = $2, pending = $3, pending_at = $4, locked_until = $5, updated_at = $6 WHERE username = $1",
      [username, r.failures, r.pending, r.pending_at, r.locked_until, now],
    );
  }

  reserve(username: string, now: number, policy: LockoutPolicy): Promise<Reservation> {
    return this.db.tx(async (c) => {
      const r = currentAttempt(await this.locked(c, username), now, policy.pendingTtlMs);
      const { reservation, next } = reserveAttempt(r, now, policy);
      if (next) await this.write(c, username, next, now);
      return reservation;
    });
  }

  settle(username: string, success: boolean, now: number, policy: LockoutPolicy): Promise<"ok" | "locked"> {
    return this.db.tx(async (c) => {
      const r = currentAttempt(await this.locked(c, username), now, policy.pendingTtlMs);
      const { result, next } = settleAttempt(r, success, now, policy);
      await this.write(c, username, next, now);
      return result;
    });
  }

  async state(username: string, now: number): Promise<LoginAttemptState> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM login_attempts WHERE username = $1`, [username]);
    return attemptState(rows[0] as unknown as AttemptRow | undefined, now);
  }

  async unlock(username: string): Promise<void> {
    await this.db.query("UPDATE login_attempts SET failures = 0, locked_until = 0 WHERE username = $1", [
      username,
    ]);
  }

  lock(username: string, until: number, now: number): Promise<void> {
    return this.db.tx(async (c) => {
      const r = currentAttempt(await this.locked(c, username), now, Number.POSITIVE_INFINITY);
      await this.write(c, username, { ...r, locked_until: Math.max(r.locked_until, until) }, now);
    });
  }

  purgeStale(before: number, now: number): Promise<number> {
    return this.db.run(
      "DELETE FROM login_attempts WHERE updated_at < $1 AND locked_until <= $2 AND pending = 0",
      [before, now],
    );
  }
}
