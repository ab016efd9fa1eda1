import { AppError } from '../../shared/result'
import type { Clock } from '../adapters/clock'
import {
  addFailure,
  clearThrottle,
  getThrottle,
  pruneEmailThrottle,
  setLock,
  touchFailure,
  type Factor,
  type ThrottleKey,
} from '../db/queries/throttle'
import type { Store } from '../db/store'
import type { AuditLog } from './audit'
import type { ClientInfo } from './client'
import { decideAttempt, lockAfterFailure, type AttemptDecision } from './lockout'
import type { PolicyService } from './policy'
import type { NoticeService } from './notices'

export interface AttemptDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  policy: PolicyService
  /** Tells the person their account was locked. */
  notices?: NoticeService
}

export function lockedMessage(until: number | null): string {
  return until === null
    ? 'This account is locked after too many failed attempts. An administrator must unlock it.'
    : `This account is locked after too many failed attempts until ${new Date(until).toISOString()}.`
}

export const lockedError = (until: number | null): AppError =>
  new AppError('ACCOUNT_LOCKED', lockedMessage(until), { lockedUntil: until })

/** How long failures against an address with no account are remembered after the last one. */
export const UNKNOWN_EMAIL_MEMORY_MS = 30 * 24 * 60 * 60_000

/** Whose attempt it is, for the audit trail: the account, or (unknown address) nobody. */
const subjectOf = (key: ThrottleKey): number | null => ('userId' in key ? key.userId : null)

/**
 * One attempt that may be checked: it already counts as a failure. Exactly one of `fail` and `succeed`
 * ends it; a process that dies in between leaves it counted, which errs on the safe side.
 */
export interface Attempt {
  /** Records the failure (audited with its reason, never the value typed), locks if due, and throws. */
  fail(data: object, error: AppError): Promise<never>
  /**
   * Clears the count, unless a lock came into force while this attempt was being checked (another
   * attempt failed meanwhile): then nothing is cleared and ACCOUNT_LOCKED is thrown. A success never
   * lifts a lock. Call it inside the transaction that records what the success does, if there is one.
   */
  succeed(): Promise<void>
}

/**
 * Consecutive-failure limits for one factor of one account (password and second factor count apart), or
 * for an email address with no account. An attempt is reserved — counted — in one transaction before any
 * work that takes time (Argon2), so concurrent attempts, in this process or another, each see the others
 * and no burst checks more than the policy allows.
 */
export class AttemptLimiter {
  constructor(private readonly d: AttemptDeps) {}

  /** Throws THROTTLED or ACCOUNT_LOCKED, audited as `failedType`, when the attempt may not be checked now. */
  async reserve(
    key: ThrottleKey,
    failedType: string,
    client: ClientInfo,
    data: object = {},
  ): Promise<Attempt> {
    const { db, clock, audit, policy } = this.d
    const subjectId = subjectOf(key)
    type Reserved =
      { refused: Exclude<AttemptDecision, { allowed: true }> } | { failures: number; locks: boolean }
    const reserved = await db.transaction(async (): Promise<Reserved> => {
      const now = clock.now()
      if ('email' in key) await pruneEmailThrottle(db, now - UNKNOWN_EMAIL_MEMORY_MS, now)
      const decision = decideAttempt(await getThrottle(db, key), await policy.get(), now)
      if (!decision.allowed) {
        await audit.append({
          type: failedType,
          actorId: subjectId,
          subjectId,
          data: { ...client, ...data, reason: decision.reason },
        })
        return { refused: decision }
      }
      const failures = await addFailure(db, key, now)
      // The attempt that would lock the account if it failed locks it now, provisionally: nothing else is
      // checked while it is, and only its own success lifts the lock again.
      const lock = lockAfterFailure(failures, await policy.get(), now)
      if (lock) {
        await setLock(db, key, { until: lock.lockedUntil, permanent: lock.permanent, failure: failures })
      }
      return { failures, locks: lock !== undefined }
    })
    if ('refused' in reserved) {
      const { refused } = reserved
      if (refused.reason === 'locked') throw lockedError(refused.lockedUntil)
      const retryAfterSeconds = Math.ceil(refused.retryAfterMs / 1000)
      throw new AppError('THROTTLED', `Too many failed attempts. Try again in ${retryAfterSeconds} s.`, {
        retryAfterSeconds,
      })
    }
    const { failures, locks } = reserved
    return {
      fail: async (failData, error) => {
        const lockedUntil = await db.transaction(async () => {
          const now = clock.now()
          await touchFailure(db, key, now)
          await audit.append({
            type: failedType,
            actorId: subjectId,
            subjectId,
            data: { ...client, ...data, ...failData, consecutiveFailures: failures },
          })
          if (!locks) return undefined
          // The lock runs from the failure, not from the reservation.
          const lock = lockAfterFailure(failures, await policy.get(), now)!
          await setLock(db, key, { until: lock.lockedUntil, permanent: lock.permanent, failure: failures })
          await audit.append({
            type: 'account.locked',
            subjectId,
            data: {
              ...('userId' in key ? { factor: key.factor } : { factor: 'password', unknownEmail: true }),
              consecutiveFailures: failures,
              until: lock.lockedUntil === null ? null : new Date(lock.lockedUntil).toISOString(),
              permanent: lock.permanent,
            },
          })
          if (subjectId !== null) {
            await this.d.notices?.tell(
              subjectId,
              { kind: 'account_locked', until: lock.lockedUntil },
              { actorId: null },
            )
          }
          return lock.lockedUntil
        })
        if (lockedUntil !== undefined) throw lockedError(lockedUntil)
        throw error
      },
      succeed: async () => {
        // Joins the caller's transaction when there is one.
        await db.transaction(async () => {
          const state = await getThrottle(db, key)
          const inForce =
            state.permanent === 1 || (state.locked_until !== null && state.locked_until > clock.now())
          if (inForce && state.lock_failure !== failures) {
            throw lockedError(state.permanent === 1 ? null : state.locked_until)
          }
          await clearThrottle(db, key)
        })
      },
    }
  }

  /** Lifts every limit on an account (an administrator's unlock). */
  static async clear(db: Store, userId: number): Promise<void> {
    for (const factor of ['password', 'second_factor'] as const satisfies readonly Factor[]) {
      await clearThrottle(db, { userId, factor })
    }
  }
}

/** The key an email address is counted under when it has no account: case and spaces do not matter. */
export const emailKey = (email: string): { email: string } => ({ email: email.trim().toLowerCase() })
