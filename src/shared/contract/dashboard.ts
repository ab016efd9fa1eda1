import { emptyInputSchema } from './common'
import type { AuditEventDto } from './audit'
import { method, readers, type AreaMethods } from './method'

export interface DashboardDto {
  users: number
  enrolled: number
  required: number
  requiredEnrolled: number
  atRisk: number
  locked: number
  pendingInvitations: number
  /** Recovery requests waiting for support (open, verifying, approved). */
  openRecoveryRequests: number
  /** Backup codes used per week, oldest first, 12 weeks ending with the current one. */
  backupCodesUsedPerWeek: { weekStart: number; count: number }[]
  recentEvents: AuditEventDto[]
}

export const dashboardMethods = {
  'dashboard.get': method<DashboardDto>()(emptyInputSchema, readers),
} satisfies AreaMethods<'dashboard'>
