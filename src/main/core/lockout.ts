import { MAX_CONSECUTIVE_FAILURES, type ThrottleRow } from '../db/queries/throttle'

export { MAX_CONSECUTIVE_FAILURES }
export const MAX_DELAY_MS = 60_000

export interface LockoutRules {
  failuresBeforeDelay: number
  failuresBeforeLock: number
  lockMinutes: number
}

export type AttemptDecision =
  | { allowed: true }
  | { allowed: false; reason: 'locked'; lockedUntil: number | null }
  | { allowed: false; reason: 'throttled'; retryAfterMs: number }

/** Wait before the next attempt after `failures` consecutive failures: 0, then 1 s, 2 s, 4 s … 60 s. */
export function delayAfter(failures: number, rules: LockoutRules): number {
  if (failures < rules.failuresBeforeDelay) return 0
  return Math.min(1000 * 2 ** (failures - rules.failuresBeforeDelay), MAX_DELAY_MS)
}

/**
 * Whether one more attempt may be checked now. Refused attempts are not checked and not counted. A login
 * step decides again in the transaction that records its outcome (see AttemptLimiter.attempt), so a
 * burst of concurrent attempts sees the ones settled before it.
 */
export function decideAttempt(state: ThrottleRow, rules: LockoutRules, now: number): AttemptDecision {
  if (state.permanent === 1 || state.consecutive_failures >= MAX_CONSECUTIVE_FAILURES) {
    return { allowed: false, reason: 'locked', lockedUntil: null }
  }
  if (state.locked_until !== null && now < state.locked_until) {
    return { allowed: false, reason: 'locked', lockedUntil: state.locked_until }
  }
  const wait = delayAfter(state.consecutive_failures, rules)
  if (wait > 0 && state.last_failure_at !== null && now < state.last_failure_at + wait) {
    return { allowed: false, reason: 'throttled', retryAfterMs: state.last_failure_at + wait - now }
  }
  return { allowed: true }
}

/**
 * What a new failure count means: a timed lock every `failuresBeforeLock` failures, and a lock only an
 * admin lifts at MAX_CONSECUTIVE_FAILURES. The count survives timed locks; only success or an admin
 * resets it, so the 100 limit holds however patient the attacker is.
 */
export function lockAfterFailure(
  failures: number,
  rules: LockoutRules,
  now: number,
): { lockedUntil: number | null; permanent: boolean } | undefined {
  if (failures >= MAX_CONSECUTIVE_FAILURES) return { lockedUntil: null, permanent: true }
  if (failures % rules.failuresBeforeLock === 0) {
    return { lockedUntil: now + rules.lockMinutes * 60_000, permanent: false }
  }
  return undefined
}
