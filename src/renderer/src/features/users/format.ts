import type { UserSummaryDto } from '../../../../shared/dto'
import { formatDate, formatDateTime } from '../../format/time'
import type { UserFilter } from './queries'

/** A moment, with its time zone (the one formatter, format/time.ts). */
export const dateTime = (at: number): string => formatDateTime(at)
/** A day. */
export const dateOnly = (at: number): string => formatDate(at)

export const twoFactorLabel: Record<UserSummaryDto['twoFactor'], string> = {
  enrolled: 'Enrolled',
  required: 'Required',
  off: 'Off',
}

export const statusLabel: Record<UserSummaryDto['status'], string> = {
  active: 'Active',
  invited: 'Invited',
  disabled: 'Disabled',
}

export const filterLabel: Record<UserFilter, string> = {
  enrolled: '2FA enrolled',
  required: 'Required but not enrolled',
  off: 'Not required',
  'at-risk': 'At risk',
  locked: 'Locked',
  disabled: 'Disabled',
  invited: 'Invited',
}

export const backupCodesLabel = (u: UserSummaryDto): string =>
  u.twoFactor === 'enrolled' ? `${u.backupCodesLeft}/5` : '—'

export const isLocked = (u: UserSummaryDto): boolean => u.lockedForever || u.lockedUntil !== null

export function lockLabel(u: Pick<UserSummaryDto, 'lockedUntil' | 'lockedForever'>): string {
  if (u.lockedForever) return 'Locked (admin)'
  if (u.lockedUntil !== null) return `Locked until ${dateTime(u.lockedUntil)}`
  return '—'
}
