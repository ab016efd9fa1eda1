import { sql, type Kysely, type RawBuilder } from 'kysely'
import { prepared, type Args } from '../compiled'
import type { Schema } from '../schema'
import type { Store } from '../store'

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
const COLUMNS = [
  'consecutive_failures',
  'last_failure_at',
  'locked_until',
  'permanent',
  'lock_failure',
] as const

const isEmail = (k: ThrottleKey): k is { email: string } => 'email' in k

const userThrottle = prepared((q, [userId, factor]: Args<[number, Factor]>) =>
  q.selectFrom('login_throttle').select(COLUMNS).where('user_id', '=', userId).where('factor', '=', factor),
)
const emailThrottle = prepared((q, [email]: Args<[string]>) =>
  q.selectFrom('email_throttle').select(COLUMNS).where('email', '=', email),
)

export async function getThrottle(db: Store, key: ThrottleKey): Promise<ThrottleRow> {
  const [row] = isEmail(key)
    ? await emailThrottle(db, key.email)
    : await userThrottle(db, key.userId, key.factor)
  return row ?? EMPTY
}

// One row whether or not the key has failures: the throttle's columns are null when it has none.
const one = sql<{ one: number }>`(select 1)`.as('one')
const settingNamed = (q: Kysely<Schema>, key: RawBuilder<string>) =>
  q.selectFrom('settings').select('value').where('key', '=', key).as('setting')
const userThrottleWithSetting = prepared((q, [userId, factor, key]: Args<[number, Factor, string]>) =>
  q
    .selectFrom(one)
    .leftJoin('login_throttle as t', (j) => j.on('t.user_id', '=', userId).on('t.factor', '=', factor))
    .select(COLUMNS.map((c) => `t.${c}` as const))
    .select(settingNamed(q, key)),
)
const emailThrottleWithSetting = prepared((q, [email, key]: Args<[string, string]>) =>
  q
    .selectFrom(one)
    .leftJoin('email_throttle as t', (j) => j.on('t.email', '=', email))
    .select(COLUMNS.map((c) => `t.${c}` as const))
    .select(settingNamed(q, key)),
)

/**
 * The throttle's state for `key` and the value of the setting named `settingKey` (the policy the state is
 * judged by) in one query: a login step reads both before its check and again in its transaction, and on
 * a server each query is a round trip.
 */
export async function getThrottleWithSetting(
  db: Store,
  key: ThrottleKey,
  settingKey: string,
): Promise<{ throttle: ThrottleRow; setting: string | null }> {
  const [row] = isEmail(key)
    ? await emailThrottleWithSetting(db, key.email, settingKey)
    : await userThrottleWithSetting(db, key.userId, key.factor, settingKey)
  const { setting, ...throttle } = row!
  return {
    throttle: throttle.consecutive_failures === null ? EMPTY : (throttle as ThrottleRow),
    setting: setting ?? null,
  }
}

/**
 * Counts one attempt as a failure before it is checked (a success clears it again), atomically, and
 * returns the new count. Run it in the transaction that decided the attempt may go ahead.
 */
export async function addFailure(db: Store, key: ThrottleKey, now: number): Promise<number> {
  // The counter is named with its table: on PostgreSQL a bare column in DO UPDATE is ambiguous with `excluded`.
  const row = isEmail(key)
    ? await db.q
        .insertInto('email_throttle')
        .values({ email: key.email, consecutive_failures: 1, last_failure_at: now })
        .onConflict((oc) =>
          oc.column('email').doUpdateSet((eb) => ({
            consecutive_failures: eb('email_throttle.consecutive_failures', '+', 1),
            last_failure_at: now,
          })),
        )
        .returning('consecutive_failures')
        .executeTakeFirstOrThrow()
    : await db.q
        .insertInto('login_throttle')
        .values({ user_id: key.userId, factor: key.factor, consecutive_failures: 1, last_failure_at: now })
        .onConflict((oc) =>
          oc.columns(['user_id', 'factor']).doUpdateSet((eb) => ({
            consecutive_failures: eb('login_throttle.consecutive_failures', '+', 1),
            last_failure_at: now,
          })),
        )
        .returning('consecutive_failures')
        .executeTakeFirstOrThrow()
  return row.consecutive_failures
}

/** The time of the latest failure, now that the attempt counted at reservation has been checked. */
export async function touchFailure(db: Store, key: ThrottleKey, now: number): Promise<void> {
  if (isEmail(key)) {
    await db.q
      .updateTable('email_throttle')
      .set({ last_failure_at: now })
      .where('email', '=', key.email)
      .execute()
  } else {
    await db.q
      .updateTable('login_throttle')
      .set({ last_failure_at: now })
      .where('user_id', '=', key.userId)
      .where('factor', '=', key.factor)
      .execute()
  }
}

/**
 * A timed lock (`until`), or a permanent one that only an administrator lifts, set by the attempt whose
 * failure count is `failure`.
 */
export async function setLock(
  db: Store,
  key: ThrottleKey,
  lock: { until: number | null; permanent: boolean; failure: number },
): Promise<void> {
  const values = {
    locked_until: lock.until,
    permanent: lock.permanent ? 1 : 0,
    lock_failure: lock.failure,
  } as const
  if (isEmail(key)) {
    await db.q.updateTable('email_throttle').set(values).where('email', '=', key.email).execute()
  } else {
    await db.q
      .updateTable('login_throttle')
      .set(values)
      .where('user_id', '=', key.userId)
      .where('factor', '=', key.factor)
      .execute()
  }
}

export async function clearThrottle(db: Store, key: ThrottleKey): Promise<void> {
  if (isEmail(key)) {
    await db.q.deleteFrom('email_throttle').where('email', '=', key.email).execute()
  } else {
    await db.q
      .deleteFrom('login_throttle')
      .where('user_id', '=', key.userId)
      .where('factor', '=', key.factor)
      .execute()
  }
}

/**
 * Forgets unknown addresses whose last failure is older than `before` and that are not locked, so
 * addresses sprayed at the login screen cannot grow the table without bound (a few at a time).
 */
export async function pruneEmailThrottle(db: Store, before: number, now: number): Promise<void> {
  await db.q
    .deleteFrom('email_throttle')
    .where('email', 'in', (eb) =>
      eb
        .selectFrom('email_throttle')
        .select('email')
        .where('last_failure_at', '<', before)
        .where('permanent', '=', 0)
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', now)]))
        .limit(50),
    )
    .execute()
}
