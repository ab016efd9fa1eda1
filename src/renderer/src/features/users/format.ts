import type { TFunction } from 'i18next'
import type { UserSummaryDto } from '../../../../shared/dto'
import type { Role } from '../../../../shared/schemas'
import { formatDate, formatDateTime } from '../../format/time'
import type { UserFilter } from './queries'

/** The words of the `users` catalogs, as a component's useTranslation('users') gives them. */
export type UsersT = TFunction<'users'>

/** A moment, with its time zone (the one formatter, format/time.ts). */
export const dateTime = (at: number): string => formatDateTime(at)
/** A day. */
export const dateOnly = (at: number): string => formatDate(at)

export const roleLabel = (t: UsersT, role: Role): string => t(`role.${role}`)

export const twoFactorLabel = (t: UsersT, v: UserSummaryDto['twoFactor']): string => t(`twoFactor.${v}`)

export const statusLabel = (t: UsersT, v: UserSummaryDto['status']): string => t(`status.${v}`)

export const filterLabel = (t: UsersT, f: UserFilter): string => t(`filter.${f}`)

export const backupCodesLabel = (u: UserSummaryDto): string =>
  u.twoFactor === 'enrolled' ? `${u.backupCodesLeft}/5` : '—'

export const isLocked = (u: UserSummaryDto): boolean => u.lockedForever || u.lockedUntil !== null

export function lockLabel(t: UsersT, u: Pick<UserSummaryDto, 'lockedUntil' | 'lockedForever'>): string {
  if (u.lockedForever) return t('lock.byAdmin')
  if (u.lockedUntil !== null) return t('lock.until', { when: dateTime(u.lockedUntil) })
  return '—'
}
