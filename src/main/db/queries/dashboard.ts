import { prepared, type Args } from '../compiled'
import type { Store } from '../store'
import { namedEvents, type NamedAuditRow } from './audit'
import { MAX_CONSECUTIVE_FAILURES } from './throttle'

export interface DashboardCounts {
  users: number
  enrolled: number
  required: number
  required_enrolled: number
  at_risk: number
  pending_invitations: number
}

/** The figures kept by migration 0003's triggers: one row, whatever the number of users. */
const counts = prepared((q) =>
  q
    .selectFrom('user_stats')
    .select([
      'users',
      'enrolled',
      'required',
      'required_enrolled',
      'at_risk',
      'invited as pending_invitations',
    ])
    .where('id', '=', 1),
)

export async function dashboardCounts(db: Store): Promise<DashboardCounts> {
  const [row] = await counts(db)
  if (!row) throw new Error('The dashboard counters are missing.')
  return row
}

const lockedUsers = prepared((q, [now]: Args<[number]>) =>
  q
    .selectFrom('login_throttle')
    .select((eb) => eb.fn.count('user_id').distinct().as('n'))
    .where((eb) =>
      eb.or([eb('locked_until', '>', now), eb('consecutive_failures', '>=', MAX_CONSECUTIVE_FAILURES)]),
    ),
)

export async function countLockedUsers(db: Store, now: number): Promise<number> {
  const [row] = await lockedUsers(db, now)
  return Number(row?.n ?? 0)
}

/** Backup codes used per week (Monday 00:00 UTC) from `since` on. */
export function backupCodeUsesSince(
  db: Store,
  since: number,
): Promise<{ week_start: number; uses: number }[]> {
  return backupUses(db, since)
}

const backupUses = prepared((q, [since]: Args<[number]>) =>
  q
    .selectFrom('backup_code_use_weekly')
    .select(['week_start', 'uses'])
    .where('week_start', '>=', since)
    .orderBy('week_start'),
)

export function recentEventsAbout(db: Store, userId: number, limit: number): Promise<NamedAuditRow[]> {
  return eventsAbout(db, userId, limit)
}

const eventsAbout = prepared((q, [userId, limit]: Args<[number, number]>) =>
  namedEvents(q).where('e.subject_id', '=', userId).orderBy('e.seq', 'desc').limit(limit),
)
