import { roleRank, APPROVER_MIN_AGE_MS } from '../../shared/access'
import type { SessionUser } from '../../shared/dto'
import { AppError } from '../../shared/result'
import type { Role } from '../../shared/schemas'
import type { UserRow } from '../db/queries/users'

/**
 * Who performs an action: a signed-in person (console or CLI `--as`), or — CLI only — the emergency key
 * holder, who proved they hold the database key and is never recorded as a person (audit actor null,
 * `actor: "key-holder"` in the event's data).
 */
export type Actor =
  (Pick<SessionUser, 'id' | 'role'> & Partial<SessionUser> & { keyHolder?: false }) | KeyHolder

export interface KeyHolder {
  keyHolder: true
  id: null
  role: 'owner'
}

export const KEY_HOLDER: KeyHolder = { keyHolder: true, id: null, role: 'owner' }

export const isKeyHolder = (a: Actor): a is KeyHolder => a.keyHolder === true

/** Throws FORBIDDEN with the rule's own words when `why` is a reason. */
export function allowOrThrow(why: string | null): void {
  if (why !== null) throw new AppError('FORBIDDEN', why)
}

/**
 * The role the two-person rule treats an account as: its role, or the admin/owner role it held until a
 * demotion less than 7 days ago (so demote → reset → promote is not a one-person action).
 */
export function dualControlRoleOf(
  u: Pick<UserRow, 'role' | 'former_role' | 'demoted_at'>,
  now: number,
): Role {
  if (
    u.former_role &&
    u.demoted_at !== null &&
    now - u.demoted_at < APPROVER_MIN_AGE_MS &&
    roleRank[u.former_role] > roleRank[u.role]
  ) {
    return u.former_role
  }
  return u.role
}
