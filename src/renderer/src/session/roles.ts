import { can, roleLabel } from '../../../shared/access'
import type { SessionUser } from '../../../shared/dto'

/** Owners and admins manage users and read the audit trail and settings (the contract's capabilities). */
export const isManager = (user: SessionUser): boolean => can(user.role, 'users.manage')

/** Owners, admins and support agents read users, the dashboard and the Recovery queue. */
export const isReader = (user: SessionUser): boolean => can(user.role, 'users.read')

/** Only owners change the settings that protect everyone (SMS, recovery, lockout, idle lock). */
export const isOwnerOfSettings = (user: SessionUser): boolean => can(user.role, 'settings.protective')

export { roleLabel }
