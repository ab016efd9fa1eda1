import { AppError } from '../../shared/result'
import type { Clock } from '../adapters/clock'
import {
  addFailure,
  clearThrottle,
  getThrottle,
  getThrottleWithSetting,
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
import { POLICY_SETTING, type PolicyService } from './policy'
import type { NoticeService } from './notices'
import { whenText } from './messages'

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
    : `This account is locked after too many failed attempts until ${whenText(until)}.`
}

export const lockedError = (until: number | null): AppError =>
  new AppError('ACCOUNT_LOCKED', lockedMessage(until), { lockedUntil: until })

function refusalError(refused: Exclude<AttemptDecision, { allowed: true }>): AppError {
  if (refused.reason === 'locked') return lockedError(refused.lockedUntil)
  const retryAfterSeconds = Math.ceil(refused.retryAfterMs / 1000)
  return new AppError('THROTTLED', `Too many failed attempts. Try again in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
  })
}

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
 * An attempt admitted inside the caller's write transaction: exactly one of `fail` and `succeed` settles
 * it there.
 */
export interface AdmittedAttempt {
  /**
   * Counts the failure (audited with its reason, never the value typed) and locks if due. Returns the
   * error to throw once the transaction has committed: `error`, or ACCOUNT_LOCKED when this failure locked.
   */
  fail(data: object, error: AppError): Promise<AppError>
  /** Clears the count. */
  succeed(): Promise<void>
}

/** One attempt of a login step, as `AttemptLimiter.attempt` runs it. */
export interface AttemptSteps<C, T> {
  /**
   * The work that takes time (Argon2, a TOTP match), outside any transaction. `admissible` is false when
   * the attempt is refused already: do only what keeps the answer's timing the same (a dummy Argon2).
   */
  check(admissible: boolean): Promise<C>
  /**
   * True when `check` costs no more than reading the limiter's state (a TOTP match): it then runs
   * whatever that state, and only the transaction decides — one read fewer, a round trip on a server.
   */
  quick?: boolean
  /**
   * Inside the one write transaction, once the attempt was admitted: records the outcome with `attempt`
   * and whatever the step writes with it (audit, session, a code spent). An AppError returned is thrown
   * after the commit, so what was recorded stays.
   */
  settle(attempt: AdmittedAttempt, checked: C): Promise<T | AppError>
}

const ADMISSIBLE: AttemptDecision = { allowed: true }

/** A place in the order of arrival: wait for `ready`, then `release` once settled (twice is harmless). */
export interface Turn {
  ready: Promise<void>
  release: () => void
}

/**
 * In-process order of arrival per key: concurrent attempts on one account settle in the order they came
 * in, as they would if each were counted on arrival, whichever Argon2 verification finishes first.
 */
class ArrivalOrder {
  readonly #tails = new Map<string, Promise<void>>()

  /** A place in the queue of `key`: `ready` once every earlier attempt has settled; `release` when done. */
  take(key: string): Turn {
    const ready = this.#tails.get(key) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => (release = resolve))
    const tail = ready.then(() => mine)
    this.#tails.set(key, tail)
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    return { ready, release }
  }
}

const arrivals = new WeakMap<Store, ArrivalOrder>()

/** Where an attempt on `key` queues in this process. */
export const arrivalKey = (key: ThrottleKey): string =>
  'email' in key ? `email:${key.email}` : `user:${key.userId}:${key.factor}`

/**
 * Consecutive-failure limits for one factor of one account (password and second factor count apart), or
 * for an email address with no account.
 *
 * A login step (`attempt`) reads the limiter's state, does its slow check (Argon2) outside any
 * transaction, and then runs one write transaction that decides again against the state as committed —
 * refused if the failures settled meanwhile throttle or lock it — and records the outcome with the rest of
 * the step. Write transactions take turns (on both engines), so concurrent attempts, in this process or
 * another, each see the ones settled before them: the outcome of no more guesses than the policy allows is
 * ever recorded or answered, and Argon2 never holds the write lock.
 *
 * `reserve` counts an attempt in one transaction and settles it in another: the shape the password reset
 * and access codes still use.
 */
export class AttemptLimiter {
  constructor(private readonly d: AttemptDeps) {}

  /**
   * One attempt in one write transaction (see the class). `turn`: a place in the arrival order taken
   * before the caller knew the key (else one is taken here). Throws what `settle` returned, THROTTLED or
   * ACCOUNT_LOCKED.
   */
  async attempt<C, T>(
    key: ThrottleKey,
    failedType: string,
    client: ClientInfo,
    data: object,
    steps: AttemptSteps<C, T>,
    turn?: Turn,
  ): Promise<T> {
    const { db, clock } = this.d
    // Inside a caller's transaction the order is already the write lock's; waiting here could deadlock.
    const place = db.inTransaction ? undefined : (turn ?? this.turn(arrivalKey(key)))
    try {
      const early = steps.quick ? ADMISSIBLE : (await this.decide(key, clock.now())).decision
      const checked = await steps.check(early.allowed)
      await place?.ready
      const result = await db.transaction(async (): Promise<T | AppError> => {
        // Refused before the check: the answer is the one decided then, as the check was not made.
        if (!early.allowed) return this.refuse(key, failedType, client, data, early)
        const admitted = await this.admit(key, failedType, client, data)
        return admitted instanceof AppError ? admitted : steps.settle(admitted, checked)
      })
      if (result instanceof AppError) throw result
      return result
    } finally {
      place?.release()
      if (place !== turn) turn?.release()
    }
  }

  /** The throttle's state for `key` and what the policy decides of an attempt at `now`, in one query. */
  private async decide(key: ThrottleKey, now: number) {
    const { throttle: state, setting } = await getThrottleWithSetting(this.d.db, key, POLICY_SETTING)
    return { state, decision: decideAttempt(state, this.d.policy.fromSetting(setting), now) }
  }

  /** A place in this process's arrival order for `key` (see ArrivalOrder). */
  turn(key: string): Turn {
    let order = arrivals.get(this.d.db)
    if (!order) arrivals.set(this.d.db, (order = new ArrivalOrder()))
    return order.take(key)
  }

  /** In the caller's transaction: the attempt admitted against the state as committed, or its refusal. */
  private async admit(
    key: ThrottleKey,
    failedType: string,
    client: ClientInfo,
    data: object,
  ): Promise<AdmittedAttempt | AppError> {
    const { db, clock } = this.d
    const now = clock.now()
    if ('email' in key) await pruneEmailThrottle(db, now - UNKNOWN_EMAIL_MEMORY_MS, now)
    const { state, decision } = await this.decide(key, now)
    if (!decision.allowed) return this.refuse(key, failedType, client, data, decision)
    // Usually there is nothing to clear: no statement then, on the step every login takes.
    const counted = state.consecutive_failures > 0 || state.locked_until !== null || state.permanent === 1
    return {
      fail: async (failData, error) => {
        const failures = await addFailure(db, key, now)
        const lockedUntil = await this.recordFailure(
          key,
          failedType,
          client,
          { ...data, ...failData },
          failures,
        )
        return lockedUntil === undefined ? error : lockedError(lockedUntil)
      },
      succeed: async () => {
        if (counted) await clearThrottle(db, key)
      },
    }
  }

  /** Audits a refused attempt (not checked, not counted) and returns its error. */
  private async refuse(
    key: ThrottleKey,
    failedType: string,
    client: ClientInfo,
    data: object,
    refused: Exclude<AttemptDecision, { allowed: true }>,
  ): Promise<AppError> {
    const subjectId = subjectOf(key)
    await this.d.audit.append({
      type: failedType,
      actorId: subjectId,
      subjectId,
      data: { ...client, ...data, reason: refused.reason },
    })
    return refusalError(refused)
  }

  /**
   * A counted failure's audit event and, when `failures` reaches a lock, the lock with its event and the
   * person's notice. Returns the lock's end (null: permanent), or undefined when it does not lock.
   */
  private async recordFailure(
    key: ThrottleKey,
    failedType: string,
    client: ClientInfo,
    data: object,
    failures: number,
  ): Promise<number | null | undefined> {
    const { db, clock, audit, policy } = this.d
    const subjectId = subjectOf(key)
    await audit.append({
      type: failedType,
      actorId: subjectId,
      subjectId,
      data: { ...client, ...data, consecutiveFailures: failures },
    })
    const lock = lockAfterFailure(failures, await policy.get(), clock.now())
    if (!lock) return undefined
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
  }

  /** Throws THROTTLED or ACCOUNT_LOCKED, audited as `failedType`, when the attempt may not be checked now. */
  async reserve(
    key: ThrottleKey,
    failedType: string,
    client: ClientInfo,
    data: object = {},
  ): Promise<Attempt> {
    const { db, clock, audit, policy } = this.d
    const subjectId = subjectOf(key)
    type Reserved = { refused: Exclude<AttemptDecision, { allowed: true }> } | { failures: number }
    const reserved = await db.transaction(async (): Promise<Reserved> => {
      const now = clock.now()
      if ('email' in key) await pruneEmailThrottle(db, now - UNKNOWN_EMAIL_MEMORY_MS, now)
      const { decision } = await this.decide(key, now)
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
      return { failures }
    })
    if ('refused' in reserved) throw refusalError(reserved.refused)
    const { failures } = reserved
    return {
      fail: async (failData, error) => {
        const lockedUntil = await db.transaction(async () => {
          await touchFailure(db, key, clock.now())
          // The lock runs from the failure, not from the reservation.
          return this.recordFailure(key, failedType, client, { ...data, ...failData }, failures)
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
