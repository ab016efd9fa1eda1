import type { SessionUser } from '../../../shared/dto'

/** Owners and admins manage policy and read the audit trail (the same roles the contract allows). */
export const isManager = (user: SessionUser): boolean => user.role === 'owner' || user.role === 'admin'

export const roleLabel: Record<SessionUser['role'], string> = {
  owner: 'Owner',
  admin: 'Administrator',
  support: 'Support agent',
  member: 'Member',
}
