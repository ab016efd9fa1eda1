import type { Policy, Role } from './schemas'

/**
 * Who may act on whom: every rule about roles, in one place. The gate checks a method's capability, the
 * core checks the person acted on (rank, owners, dual control), the renderer shows only what would be
 * allowed, and the CLI runs the same core. Pure functions over plain data; no I/O.
 */

/** owner > admin > support > member. */
export const roleRank: Readonly<Record<Role, number>> = { member: 1, support: 2, admin: 3, owner: 4 }

export const roleLabel: Readonly<Record<Role, string>> = {
  owner: 'Owner',
  admin: 'Administrator',
  support: 'Support agent',
  member: 'Member',
}

/** What each role may do at all; the contract gives every method one of these (or 'anyone'). */
export const capabilities = {
  /** Their own profile, 2FA and emergency phone; the policy numbers the console needs. */
  'own-account': ['owner', 'admin', 'support', 'member'],
  /** Users, their 2FA status, the dashboard. */
  'users.read': ['owner', 'admin', 'support'],
  /** Create, invite, require or reset 2FA, unlock, disable, change role, delete, import, export. */
  'users.manage': ['owner', 'admin'],
  /** The Recovery queue: checks, approvals, denials, temporary access codes. */
  'recovery.work': ['owner', 'admin', 'support'],
  /** The audit trail, the database panel, the SMS settings and outbox (read). */
  'settings.read': ['owner', 'admin'],
  /** The policy fields that protect nobody in particular (grace period, 2FA for new users). */
  'policy.change': ['owner', 'admin'],
  /** Settings that protect everyone: SMS provider and endpoint, recovery, lockout, idle lock, sessions. */
  'settings.protective': ['owner'],
} as const satisfies Record<string, readonly Role[]>

export type Capability = keyof typeof capabilities

export const can = (role: Role, capability: Capability): boolean =>
  (capabilities[capability] as readonly Role[]).includes(role)

/** The roles that have a capability (for help texts and error messages). */
export const rolesWith = (capability: Capability): readonly Role[] => capabilities[capability]

/** Someone an action is about, as far as the rules need to know. */
export interface Party {
  id: number | null
  role: Role
}

/** The emergency key holder of the CLI: holds the database key, so ranks above every role. */
const KEY_HOLDER_RANK = 5

const rankOf = (p: Party & { keyHolder?: boolean }): number =>
  p.keyHolder ? KEY_HOLDER_RANK : roleRank[p.role]

export type PersonAction =
  | 'create'
  | 'reinvite'
  | 'require-2fa'
  | 'reset-2fa'
  | 'reset-password'
  | 'unlock'
  | 'disable'
  | 'enable'
  | 'delete'
  | 'change-role'

const verbs: Record<PersonAction, string> = {
  create: 'create',
  reinvite: 'send a new invitation to',
  'require-2fa': 'change the 2FA requirement of',
  'reset-2fa': 'reset the 2FA of',
  'reset-password': 'reset the password of',
  unlock: 'unlock',
  disable: 'disable',
  enable: 'enable',
  delete: 'delete',
  'change-role': 'change the role of',
}

const article = (role: Role) => (role === 'admin' || role === 'owner' ? 'an' : 'a')

/**
 * Why `actor` may not do `action` to `target` (null: allowed). An actor acts on a person only at equal or
 * higher rank, and anything touching an owner is owner-only. `newRole` is the role being given (create,
 * change-role): nobody gives a role above their own, and only an owner makes an owner.
 */
export function whyNotActOn(
  actor: Party & { keyHolder?: boolean },
  target: Party,
  action: PersonAction,
  newRole?: Role,
): string | null {
  if (!actor.keyHolder && !can(actor.role, 'users.manage')) return 'Your role does not allow this.'
  const label = roleLabel[target.role].toLowerCase()
  if (target.role === 'owner' && !actor.keyHolder && actor.role !== 'owner') {
    return `Only an owner can ${verbs[action]} an owner.`
  }
  if (rankOf(actor) < roleRank[target.role]) {
    return `Only someone of ${article(target.role)} ${label}'s rank or above can ${verbs[action]} ${article(target.role)} ${label}.`
  }
  if (newRole !== undefined) {
    if (newRole === 'owner' && !actor.keyHolder && actor.role !== 'owner')
      return 'Only an owner can make an owner.'
    if (rankOf(actor) < roleRank[newRole]) return `You cannot give a role above your own.`
  }
  return null
}

/** Why `agent` may not work a recovery request about `subject` (null: allowed). */
export function whyNotWorkRecovery(agent: Party & { keyHolder?: boolean }, subject: Party): string | null {
  if (!agent.keyHolder && !can(agent.role, 'recovery.work')) return 'Your role does not allow this.'
  if (agent.id !== null && agent.id === subject.id) {
    return 'Nobody may work on a recovery request about their own account.'
  }
  if (subject.role === 'owner' && !agent.keyHolder && agent.role !== 'owner') {
    return "Only an owner can work on an owner's recovery request."
  }
  if (rankOf(agent) < roleRank[subject.role]) {
    return `Only an ${subject.role === 'admin' ? 'admin or owner' : 'agent of the same rank or above'} can work on ${article(subject.role)} ${roleLabel[subject.role].toLowerCase()}'s recovery request.`
  }
  return null
}

/** Roles whose second factor is removed only with two approvers (the two-person rule). */
export const isDualControlled = (role: Role): boolean => role === 'admin' || role === 'owner'

export const approvalsRequiredFor = (role: Role): number => (isDualControlled(role) ? 2 : 1)

/** An account younger than this (created, invited or activated) does not count as a second approver. */
export const APPROVER_MIN_AGE_MS = 7 * 24 * 60 * 60_000
/** The cooling-off period for an admin or owner account is never shorter than this. */
const DUAL_CONTROL_MIN_COOLING_OFF_MINUTES = 15

export const coolingOffMinutesFor = (role: Role, policyMinutes: number): number =>
  isDualControlled(role) ? Math.max(DUAL_CONTROL_MIN_COOLING_OFF_MINUTES, policyMinutes) : policyMinutes

/** What the two-person rule needs to know about an approver. */
export interface ApproverFacts extends Party {
  /** The latest of created, invited (the newest invitation) and activated. */
  newestStartAt: number
  createdBy: number | null
}

/**
 * Why `approver` does not count as an approver of a request about `subject`, given the approvals already
 * recorded (null: it counts). For a dual-controlled subject both approvers must be at least the
 * subject's rank, older than 7 days, and neither may have created the other.
 */
export function whyNotApprover(
  approver: ApproverFacts,
  subject: Party,
  others: readonly ApproverFacts[],
  now: number,
): string | null {
  if (others.some((o) => o.id === approver.id)) {
    return 'You already approved this request. A second agent must approve it for an admin or owner account.'
  }
  if (!isDualControlled(subject.role)) return null
  if (now - approver.newestStartAt < APPROVER_MIN_AGE_MS) {
    return "Your account was created, invited or activated in the last 7 days: it cannot approve the removal of an admin's or owner's second factor yet."
  }
  for (const o of others) {
    if (approver.createdBy !== null && approver.createdBy === o.id) {
      return 'Your account was created by the other approver: a second approver must be independent of the first.'
    }
    if (o.createdBy !== null && o.createdBy === approver.id) {
      return "You created the other approver's account: a second approver must be independent of the first."
    }
  }
  return null
}

/**
 * The policy fields that protect everyone — recovery, lockout, idle lock, session lifetime — are changed
 * by owners only; the others (the 2FA requirement for new users, the grace period) by admins too.
 */
const protectivePolicyFields = [
  'idleLockMinutes',
  'sessionLifetimeHours',
  'failuresBeforeDelay',
  'failuresBeforeLock',
  'lockMinutes',
  'recoveryCoolingOffMinutes',
  'recoveryRequestHours',
  'noticesBy',
] as const satisfies readonly (keyof Policy)[]

export const isProtectivePolicyField = (field: keyof Policy): boolean =>
  (protectivePolicyFields as readonly string[]).includes(field)

/**
 * The shortest new password: 15 characters when the password alone signs the account in (no 2FA and
 * none required, or a grace period before it must be set up); 12 where a second factor is on or required.
 */
const PASSWORD_ALONE_MIN_LENGTH = 15
const PASSWORD_WITH_2FA_MIN_LENGTH = 12
export const minPasswordLength = (passwordAlone: boolean): number =>
  passwordAlone ? PASSWORD_ALONE_MIN_LENGTH : PASSWORD_WITH_2FA_MIN_LENGTH
