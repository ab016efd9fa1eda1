import { prepared, type Db } from '../connection'

/** NIST SP 800-63B §5.2.2: at most 100 consecutive failed attempts on one account, ever. */
export const MAX_CONSECUTIVE_FAILURES = 100

export type Factor = 'password' | 'second_factor'

/**
 * What failures are counted against: one factor of an account, or an email address that has no account
 * (so an unknown address is slowed down and locked exactly like a real one).
 */
export type ThrottleKey = { userId: number; factor: Factor } | { email: string }

export interface ThrottleRow {
  consecutive_failures: number
  last_failure_at: number | null
  locked_until: number | null
  permanent: 0 | 1
  /** The failure count of the attempt whose reservation set the lock in force. */
  lock_failure: number | null
}

const EMPTY: ThrottleRow = {
  consecutive_failures: 0,
  last_failure_at: null,
  locked_until: null,
  permanent: 0,
  lock_failure: null,
}
const COLUMNS = 'consecutive_failures, last_failure_at, locked_until, permanent, lock_failure'

const isEmail = (k: ThrottleKey): k is { email: string } => 'email' in k

export function getThrottle(db: Db, key: ThrottleKey): ThrottleRow {
  const row = isEmail(key)
    ? prepared(db, `SELECT ${COLUMNS} FROM email_throttle WHERE email = ?`).get(key.email)
    : prepared(db, `SELECT ${COLUMNS} FROM login_throttle WHERE user_id = ? AND factor = ?`).get(
        key.userId,
        key.factor,
      )
  return (row as ThrottleRow | undefined) ?? EMPTY
}

/**
 * Counts one attempt as a failure before it is checked (a success clears it again), atomically, and
 * returns the new count. Run it in the transaction that decided the attempt may go ahead.
 */
export function addFailure(db: Db, key: ThrottleKey, now: number): number {
  return (
    isEmail(key)
      ? prepared(
          db,
          `INSERT INTO email_throttle (email, consecutive_failures, last_failure_at) VALUES (@email, 1, @now)
           ON CONFLICT (email) DO UPDATE
             SET consecutive_failures = consecutive_failures + 1, last_failure_at = @now
           RETURNING consecutive_failures`,
        )
          .pluck()
          .get({ email: key.email, now })
      : prepared(
          db,
          `INSERT INTO login_throttle (user_id, factor, consecutive_failures, last_failure_at)
             VALUES (@userId, @factor, 1, @now)
           ON CONFLICT (user_id, factor) DO UPDATE
             SET consecutive_failures = consecutive_failures + 1, last_failure_at = @now
           RETURNING consecutive_failures`,
        )
          .pluck()
          .get({ userId: key.userId, factor: key.factor, now })
  ) as number
}

/** The time of the latest failure, now that the attempt counted at reservation has been checked. */
export function touchFailure(db: Db, key: ThrottleKey, now: number): void {
  if (isEmail(key))
    prepared(db, 'UPDATE email_throttle SET last_failure_at = ? WHERE email = ?').run(now, key.email)
  else
    prepared(db, 'UPDATE login_throttle SET last_failure_at = ? WHERE user_id = ? AND factor = ?').run(
      now,
      key.userId,
      key.factor,
    )
}

/**
 * A timed lock (`until`), or a permanent one that only an administrator lifts, set by the attempt whose
 * failure count is `failure`.
 */
export function setLock(
  db: Db,
  key: ThrottleKey,
  lock: { until: number | null; permanent: boolean; failure: number },
): void {
  const values = { until: lock.until, permanent: lock.permanent ? 1 : 0, failure: lock.failure }
  if (isEmail(key)) {
    prepared(
      db,
      'UPDATE email_throttle SET locked_until = @until, permanent = @permanent, lock_failure = @failure WHERE email = @email',
    ).run({ ...values, email: key.email })
  } else {
    prepared(
      db,
      `UPDATE login_throttle SET locked_until = @until, permanent = @permanent, lock_failure = @failure
       WHERE user_id = @userId AND factor = @factor`,
    ).run({ ...values, userId: key.userId, factor: key.factor })
  }
}

export function clearThrottle(db: Db, key: ThrottleKey): void {
  if (isEmail(key)) prepared(db, 'DELETE FROM email_throttle WHERE email = ?').run(key.email)
  else prepared(db, 'DELETE FROM login_throttle WHERE user_id = ? AND factor = ?').run(key.userId, key.factor)
}

/**
 * Forgets unknown addresses whose last failure is older than `before` and that are not locked, so
 * addresses sprayed at the login screen cannot grow the table without bound (a few at a time).
 */
export function pruneEmailThrottle(db: Db, before: number, now: number): void {
  prepared(
    db,
    `DELETE FROM email_throttle WHERE email IN (
       SELECT email FROM email_throttle
       WHERE last_failure_at < @before AND permanent = 0 AND (locked_until IS NULL OR locked_until <= @now)
       LIMIT 50)`,
  ).run({ before, now })
}
