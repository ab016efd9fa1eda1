import { prepared, type Db } from '../connection'
import type { AuditRow } from './audit'
import { MAX_CONSECUTIVE_FAILURES } from './throttle'

export interface DashboardCounts {
  users: number
  enrolled: number
  required: number
  required_enrolled: number
  at_risk: number
  pending_invitations: number
}

/** Each figure is a count over an index range (migration 0003), never a scan of the users table. */
export function dashboardCounts(db: Db): DashboardCounts {
  return prepared(
    db,
    `SELECT
         (SELECT count(*) FROM users) AS users,
         (SELECT count(*) FROM users WHERE twofa_state = 'enrolled') AS enrolled,
         (SELECT count(*) FROM users WHERE twofa_state = 'required') AS required,
         (SELECT count(*) FROM users WHERE twofa_state = 'enrolled' AND require_2fa = 1) AS required_enrolled,
         (SELECT count(*) FROM users WHERE at_risk) AS at_risk,
         (SELECT count(*) FROM users WHERE status = 'invited') AS pending_invitations`,
  ).get() as DashboardCounts
}

export function countLockedUsers(db: Db, now: number): number {
  return prepared(
    db,
    `SELECT count(DISTINCT user_id) FROM login_throttle
       WHERE locked_until > ? OR consecutive_failures >= ${MAX_CONSECUTIVE_FAILURES}`,
  )
    .pluck()
    .get(now) as number
}

/** Events of one type since a time, for the weekly chart (index audit_events_by_type). */
export function eventTimesSince(db: Db, type: string, since: number): number[] {
  return prepared(db, 'SELECT at FROM audit_events WHERE type = ? AND at >= ?')
    .pluck()
    .all(type, since) as number[]
}

export function recentEventsAbout(db: Db, userId: number, limit: number): AuditRow[] {
  return prepared(
    db,
    `SELECT seq, at, type, actor_id, subject_id, data, prev_hash, hash FROM audit_events
       WHERE subject_id = ? ORDER BY seq DESC LIMIT ?`,
  ).all(userId, limit) as AuditRow[]
}
