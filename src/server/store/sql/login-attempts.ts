import {
  type AttemptRow,
  attemptState,
  currentAttempt,
  reserveAttempt,
  settleAttempt,
} from "../login-rules.js";
import type { LockoutPolicy, LoginAttemptState, LoginAttemptStore, Reservation } from "../types.js";
import type { SqlExecutor, TxExecutor } from "./executor.js";

const COLUMNS = "failures, pending, pending_at, locked_until";

/** Lockout per user name; each decision holds the name's row (SQLite: the write lock), across processes and instances. */
export class SqlLoginAttempts implements LoginAttemptStore {
  constructor(private readonly x: SqlExecutor) {}

  /** The name's row, locked until commit (created first, so there is a row to lock). */
  private async locked(t: TxExecutor, username: string): Promise<AttemptRow> {
    await t.run("INSERT INTO login_attempts (username) VALUES (?) ON CONFLICT (username) DO NOTHING", [
      username,
    ]);
    const sql = `SELECT ${COLUMNS} FROM login_attempts WHERE username = ?${t.dialect.forUpdate}`;
    return (await t.get(sql, [username])) as unknown as AttemptRow;
  }

  private async write(t: TxExecutor, username: string, r: AttemptRow, now: number): Promise<void> {
    await t.run(
      "UPDATE login_attempts SET failures = ?, pending = ?, pending_at = ?, locked_until = ?, updated_at = ? WHERE username = ?",
      [r.failures, r.pending, r.pending_at, r.locked_until, now, username],
    );
  }

  reserve(username: string, now: number, policy: LockoutPolicy): Promise<Reservation> {
    return this.x.tx(async (t) => {
      const r = currentAttempt(await this.locked(t, username), now, policy.pendingTtlMs);
      const { reservation, next } = reserveAttempt(r, now, policy);
      if (next) await this.write(t, username, next, now);
      return reservation;
    });
  }

  settle(username: string, success: boolean, now: number, policy: LockoutPolicy): Promise<"ok" | "locked"> {
    return this.x.tx(async (t) => {
      const r = currentAttempt(await this.locked(t, username), now, policy.pendingTtlMs);
      const { result, next } = settleAttempt(r, success, now, policy);
      await this.write(t, username, next, now);
      return result;
    });
  }

  async state(username: string, now: number): Promise<LoginAttemptState> {
    const r = await this.x.get(`SELECT ${COLUMNS} FROM login_attempts WHERE username = ?`, [username]);
    return attemptState(r as unknown as AttemptRow | undefined, now);
  }

  async unlock(username: string): Promise<void> {
    await this.x.run("UPDATE login_attempts SET failures = 0, locked_until = 0 WHERE username = ?", [
      username,
    ]);
  }

  lock(username: string, until: number, now: number): Promise<void> {
    return this.x.tx(async (t) => {
      const r = currentAttempt(await this.locked(t, username), now, Number.POSITIVE_INFINITY);
      await this.write(t, username, { ...r, locked_until: Math.max(r.locked_until, until) }, now);
    });
  }

  async purgeStale(before: number, now: number): Promise<number> {
    return this.x.run(
      "DELETE FROM login_attempts WHERE updated_at < ? AND locked_until <= ? AND pending = 0",
      [before, now],
    );
  }
}
