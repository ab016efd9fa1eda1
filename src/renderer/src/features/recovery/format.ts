import type { RecoveryPersonDto } from '../../../../shared/dto'
import type { RecoveryStatus } from '../../../../shared/schemas'
import type { RecoveryFilter } from './queries'

export const recoveryStatusLabel: Record<RecoveryStatus, string> = {
  open: 'Open',
  verifying: 'Verifying',
  approved: 'Approved',
  denied: 'Denied',
  completed: 'Completed',
  expired: 'Expired',
}

export const recoveryFilterLabel: Record<RecoveryFilter, string> = {
  live: 'Waiting for support',
  all: 'All',
  ...recoveryStatusLabel,
}

/** An agent as named in a request's checks, notes and approvals; null when the account was deleted. */
export const agentName = (p: RecoveryPersonDto | null): string => (p ? p.name : 'a deleted user')
