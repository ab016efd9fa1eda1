import { prepared, type Db } from '../connection'

/** NIST SP 800-63B §5.2.2: at most 100 consecutive failed attempts on one account, ever. */
export const MAX_CONSECUTIVE_FAILURES = 100

export type Factor = 'password' | 'second_factor'

export interface ThrottleRow {
  consecutive_failures: number
  last_failure_at: number | null
  locked_until: number | null
}

const EMPTY: ThrottleRow = { consecutive_failures: 0, last_failure_at: null, locked_until: null }

export function getThrottle(db: Db, userId: number, factor: Factor): ThrottleRow {
  const row = prepared(
    db,
    'SELECT consecutive_failures, last_failure_at, locked_until FROM login_throttle WHERE user_id = ? AND factor = ?',
  ).get(userId, factor) as ThrottleRow | undefined
  return row ?? EMPTY
}

/** Adds one failure atomically (two processes failing at once both count) and returns the new count. */
export function addFailure(db: Db, userId: number, factor: Factor, now: number): number {
  return prepared(
    db,
    `INSERT INTO login_throttle (user_id, factor, consecutive_failures, last_failure_at)
       VALUES (@userId, @factor, 1, @now)
       ON CONFLICT (user_id, factor) DO UPDATE
         SET consecutive_failures = consecutive_failures + 1, last_failure_at = @now
       RETURNING consecutive_failures`,
  )
    .pluck()
    .get({ userId, factor, now }) as number
}

export function setLockedUntil(db: Db, userId: number, factor: Factor, until: number | null): void {
  prepared(db, 'UPDATE login_throttle SET locked_until = ? WHERE user_id = ? AND factor = ?').run(
    until,
    userId,
    factor,
  )
}

export function clearThrottle(db: Db, userId: number, factor: Factor): void {
  prepared(db, 'DELETE FROM login_throttle WHERE user_id = ? AND factor = ?').run(userId, factor)
}
