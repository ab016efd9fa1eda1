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

/** The figures kept by migration 0003's triggers: one row, whatever the number of users. */
export function dashboardCounts(db: Db): DashboardCounts {
  return prepared(
    db,
    `SELECT users, enrolled, required, required_enrolled, at_risk, invited AS pending_invitations
     FROM user_stats WHERE id = 1`,
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

/** Backup codes used per week (Monday 00:00 UTC) from `since` on. */
export function backupCodeUsesSince(db: Db, since: number): { week_start: number; uses: number }[] {
  return prepared(
    db,
    'SELECT week_start, uses FROM backup_code_use_weekly WHERE week_start >= ? ORDER BY week_start',
  ).all(since) as { week_start: number; uses: number }[]
}

export function recentEventsAbout(db: Db, userId: number, limit: number): AuditRow[] {
  return prepared(
    db,
    `SELECT seq, at, type, actor_id, subject_id, data, prev_hash, hash FROM audit_events
       WHERE subject_id = ? ORDER BY seq DESC LIMIT ?`,
  ).all(userId, limit) as AuditRow[]
}
