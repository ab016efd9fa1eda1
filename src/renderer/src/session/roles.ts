import type { SessionUser } from '../../../shared/dto'

/** Owners and admins manage policy and read the audit trail (the same roles the contract allows). */
export const isManager = (user: SessionUser): boolean => user.role === 'owner' || user.role === 'admin'

/**
 * Owners, admins and support agents read users, the dashboard and the Recovery queue (the contract's
 * `readers`); members see only their own profile.
 */
export const isReader = (user: SessionUser): boolean => user.role !== 'member'

export const roleLabel: Record<SessionUser['role'], string> = {
  owner: 'Owner',
  admin: 'Administrator',
  support: 'Support agent',
  member: 'Member',
}
