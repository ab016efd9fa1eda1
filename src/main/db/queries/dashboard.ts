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

/**
 * Users at risk for a reason the stored `at_risk` column does not hold (it keeps only what time does not
 * change): owners and admins without 2FA, 2FA required and overdue (required since `overdueBefore` or
 * earlier), and locked users not already counted. The same rules as the Users page's filter. Each part
 * is read from an index (role, 2FA state, the few login_throttle rows), never by reading every user.
 */
const riskNotStored = prepared((q, [now, overdueBefore]: Args<[number, number]>) =>
  q
    .selectFrom((s) =>
      s
        .selectFrom('users')
        .select('id')
        .where('role', 'in', ['owner', 'admin'])
        .where('totp_enrolled_at', 'is', null)
        .union(
          s
            .selectFrom('users')
            .select('id')
            .where('twofa_state', '=', 'required')
            .where('status', '<>', 'invited')
            .where((eb) =>
              eb.or([eb('require_2fa_since', 'is', null), eb('require_2fa_since', '<=', overdueBefore)]),
            ),
        )
        .union(
          s
            .selectFrom('users')
            .select('id')
            .where('at_risk', '=', 0)
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('login_throttle')
                .select('user_id')
                .where((w) =>
                  w.or([
                    w('locked_until', '>', now),
                    w('consecutive_failures', '>=', MAX_CONSECUTIVE_FAILURES),
                  ]),
                ),
            ),
        )
        .as('r'),
    )
    .select((eb) => eb.fn.countAll().as('n')),
)

export async function countAtRiskNotStored(db: Store, now: number, overdueBefore: number): Promise<number> {
  const [row] = await riskNotStored(db, now, overdueBefore)
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
