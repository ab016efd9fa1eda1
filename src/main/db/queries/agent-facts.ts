import { sql } from 'kysely'
import type { RecoveryStatus } from '../../../shared/schemas'
import type { Store } from '../store'

/**
 * What a support agent reads about a person beside their recovery request. Each query is answered from an
 * index: a person's events by type and time (`audit_events_subject_type`), their requests
 * (`recovery_requests_by_user`), and the per-person rows of the throttle and the phone (primary keys).
 */

/** Failed sign-in steps of every kind the attempt limiter counts (the code typed is never recorded). */
export const SIGN_IN_FAILURE_TYPES = [
  'login.failed',
  'session.unlock_failed',
  'reauth.failed',
  '2fa.code_refused',
  'login.sms_code_refused',
  'login.access_code_refused',
] as const

export const LOCKOUT_TYPE = 'account.locked'

/** The person's latest successful sign-in, with where it came from (the audit event's client data). */
export async function lastSignInOf(
  db: Store,
  userId: number,
): Promise<{ at: number; data: string } | undefined> {
  return db.q
    .selectFrom('audit_events')
    .select(['at', 'data'])
    .where('subject_id', '=', userId)
    .where('type', '=', 'login.succeeded')
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/**
 * Failures and lockouts since `since`, per type: how many and the latest. A wrong code while setting up
 * an authenticator is not a sign-in failure (the limiter does not count it), so it is left out; audit
 * data is canonical JSON, so the one pattern finds it on both engines.
 */
export async function failuresAndLockoutsOf(
  db: Store,
  userId: number,
  since: number,
): Promise<{ type: string; n: number; latest: number }[]> {
  const rows = await db.q
    .selectFrom('audit_events')
    .select((eb) => ['type', eb.fn.countAll<number | string>().as('n'), eb.fn.max<number>('at').as('latest')])
    .where('subject_id', '=', userId)
    .where('type', 'in', [...SIGN_IN_FAILURE_TYPES, LOCKOUT_TYPE])
    .where('at', '>=', since)
    .where((eb) =>
      eb.or([eb('type', '<>', '2fa.code_refused'), eb('data', 'not like', '%"during":"enrollment"%')]),
    )
    .groupBy('type')
    .execute()
  // PostgreSQL's count is a bigint, which its driver returns as text.
  return rows.map((r) => ({ type: r.type, n: Number(r.n), latest: Number(r.latest) }))
}

/** The person's limiter rows that hold a lock (timed or permanent), whether or not it is still in force. */
export async function locksOf(
  db: Store,
  userId: number,
): Promise<{ factor: 'password' | 'second_factor'; locked_until: number | null; permanent: 0 | 1 }[]> {
  return db.q
    .selectFrom('login_throttle')
    .select(['factor', 'locked_until', 'permanent'])
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is not', null), eb('permanent', '=', 1)]))
    .execute()
}

/** When the emergency phone was verified; never the number. */
export async function phoneVerifiedAt(db: Store, userId: number): Promise<number | null> {
  const row = await db.q
    .selectFrom('phones')
    .select('verified_at')
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row?.verified_at ?? null
}

/** The person's other requests: how many, and the newest `limit` of them. */
export async function otherRequestsOf(
  db: Store,
  userId: number,
  exceptId: number,
  limit: number,
): Promise<{ count: number; latest: { id: number; status: RecoveryStatus; created_at: number }[] }> {
  const [count, latest] = await Promise.all([
    db.q
      .selectFrom('recovery_requests')
      .select(sql<number | string>`count(*)`.as('n'))
      .where('user_id', '=', userId)
      .where('id', '<>', exceptId)
      .executeTakeFirstOrThrow(),
    db.q
      .selectFrom('recovery_requests')
      .select(['id', 'status', 'created_at'])
      .where('user_id', '=', userId)
      .where('id', '<>', exceptId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
  ])
  return { count: Number(count.n), latest }
}

/** The events that alert agents' consoles: a recovery request filed, an account locked. */
export const ALERT_TYPES = ['recovery.requested', LOCKOUT_TYPE] as const

/** Alerting events with seq in (after, upTo], oldest first: a range of the primary key. */
export async function alertEventsBetween(
  db: Store,
  after: number,
  upTo: number,
): Promise<{ seq: number; type: string; subject_id: number | null; data: string }[]> {
  return (
    db.q
      .selectFrom('audit_events')
      .select(['seq', 'type', 'subject_id', 'data'])
      .where('seq', '>', after)
      .where('seq', '<=', upTo)
      // An expression, not the column: with the column, SQLite reads every such event ever recorded through
      // the type index; the range of seq is what keeps each look to the events appended since the last.
      .where(sql<string>`type || ''`, 'in', [...ALERT_TYPES])
      .orderBy('seq')
      .execute()
  )
}
