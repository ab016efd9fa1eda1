import { AppError } from '../../shared/result'
import type { Clock } from '../adapters/clock'
import type { Db } from '../db/connection'
import { addFailure, clearThrottle, getThrottle, setLockedUntil, type Factor } from '../db/queries/throttle'
import type { AuditLog } from './audit'
import type { ClientInfo } from './client'
import { decideAttempt, lockAfterFailure } from './lockout'
import type { PolicyService } from './policy'

export interface AttemptDeps {
  db: Db
  clock: Clock
  audit: AuditLog
  policy: PolicyService
}

export function lockedMessage(until: number | null): string {
  return until === null
    ? 'This account is locked after too many failed attempts. An administrator must unlock it.'
    : `This account is locked after too many failed attempts until ${new Date(until).toISOString()}.`
}

/**
 * Consecutive-failure limits for one factor of one account (password and second factor count apart):
 * refuses attempts while waiting or locked, counts failures, locks, and records each step.
 */
export class AttemptLimiter {
  constructor(private readonly d: AttemptDeps) {}

  /** Throws THROTTLED or ACCOUNT_LOCKED, audited as `failedType`, when the attempt may not be checked now. */
  assertAllowed(
    userId: number,
    factor: Factor,
    failedType: string,
    client: ClientInfo,
    data: object = {},
  ): void {
    const { db, clock, audit, policy } = this.d
    const decision = decideAttempt(getThrottle(db, userId, factor), policy.get(), clock.now())
    if (decision.allowed) return
    audit.append({
      type: failedType,
      actorId: userId,
      subjectId: userId,
      data: { ...client, ...data, reason: decision.reason },
    })
    if (decision.reason === 'locked') {
      throw new AppError('ACCOUNT_LOCKED', lockedMessage(decision.lockedUntil), {
        lockedUntil: decision.lockedUntil,
      })
    }
    const retryAfterSeconds = Math.ceil(decision.retryAfterMs / 1000)
    throw new AppError('THROTTLED', `Too many failed attempts. Try again in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
    })
  }

  /**
   * Counts one failure (audited with its reason, never the value typed) and throws: ACCOUNT_LOCKED when
   * this failure locks the account, otherwise `error`.
   */
  fail(
    userId: number,
    factor: Factor,
    failedType: string,
    client: ClientInfo,
    data: object,
    error: AppError,
  ): never {
    const { db, clock, audit, policy } = this.d
    const lock = db
      .transaction(() => {
        const now = clock.now()
        const failures = addFailure(db, userId, factor, now)
        audit.append({
          type: failedType,
          actorId: userId,
          subjectId: userId,
          data: { ...client, ...data, consecutiveFailures: failures },
        })
        const lock = lockAfterFailure(failures, policy.get(), now)
        if (lock) {
          setLockedUntil(db, userId, factor, lock.lockedUntil)
          audit.append({
            type: 'account.locked',
            subjectId: userId,
            data: {
              factor,
              consecutiveFailures: failures,
              until: lock.lockedUntil === null ? null : new Date(lock.lockedUntil).toISOString(),
              permanent: lock.permanent,
            },
          })
        }
        return lock
      })
      .immediate()
    if (lock)
      throw new AppError('ACCOUNT_LOCKED', lockedMessage(lock.lockedUntil), { lockedUntil: lock.lockedUntil })
    throw error
  }

  succeed(userId: number, factor: Factor): void {
    clearThrottle(this.d.db, userId, factor)
  }
}
