import type {
  DashboardDto,
  InvitationDto,
  SessionUser,
  UserDetailDto,
  UserPageDto,
  UserSummaryDto,
} from '../../shared/dto'
import type { EmailService } from './email-service'
import { invitationEmail, recipientLanguage } from './messages'
import { AppError } from '../../shared/result'
import type { CreateUserInput, Role } from '../../shared/schemas'
import { INVITATION_DAYS } from '../../shared/schemas'
import type { Clock } from '../adapters/clock'
import {
  countLockedUsers,
  countAtRiskNotStored,
  dashboardCounts,
  backupCodeUsesSince,
  recentEventsAbout,
} from '../db/queries/dashboard'
import { isDualControlled, whyNotActOn, type Party, type PersonAction } from '../../shared/access'
import { allowOrThrow, dualControlRoleOf, isKeyHolder, type Actor } from './actor'
import { AttemptLimiter } from './attempts'
import type { RecoveryService } from './recovery'
import {
  listUsers,
  sortKeyOf,
  type UserFilter,
  type UserListRow,
  type UserSort,
} from '../db/queries/user-list'
import {
  activateUser,
  countActiveOwners,
  deleteInvitation,
  deleteUser,
  findUserByEmail,
  findUserById,
  getInvitation,
  insertUser,
  markInvited,
  putInvitation,
  setRequire2fa,
  setRole,
  setStatus,
  type UserRow,
} from '../db/queries/users'
import { countLiveRecoveryRequests, recoveryRequestsOf } from '../db/queries/recovery'
import { getPhone } from '../db/queries/phones'
import type { Store } from '../db/store'
import { maskPhone } from './phone'
import { DAY_MS, riskReasonsOf } from './risk'
import { namedEventDtos, type AuditLog } from './audit'
import { toSessionUser } from './auth'
import type { ClientInfo } from './client'
import { invitationHash, invitationMatches, newInvitationCode } from './invitations'
import type { PasswordHasher, PasswordPolicy } from './passwords'
import type { PolicyService } from './policy'
import type { TwoFactorService } from './two-factor'

export interface UserAdminDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  policy: PolicyService
  hasher: PasswordHasher
  passwordPolicy: PasswordPolicy
  twoFactor: TwoFactorService
  recovery: RecoveryService
  email: EmailService
}

const DAY = 24 * 60 * 60_000
const WEEK = 7 * DAY
const NEEDS_OWNER = 'Tessera needs at least one active owner: make someone else an owner first.'
const BAD_ACTIVATION = 'The email or invitation code is not correct, or the invitation was already used.'

const toSummary = (r: UserListRow, now: number, graceMs: number): UserSummaryDto => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  status: r.status,
  twoFactor: r.twofa_state,
  enrolledAt: r.totp_enrolled_at,
  backupCodesLeft: r.backup_codes_left,
  lastLoginAt: r.last_login_at,
  lockedUntil: r.locked_until,
  lockedForever: r.locked_forever === 1,
  riskReasons: riskReasonsOf(r, now, graceMs),
})

/** Cursors are opaque to callers: the last row's sort key and id, base64url JSON. */
const encodeCursor = (key: string | number, id: number): string =>
  Buffer.from(JSON.stringify([key, id])).toString('base64url')

function decodeCursor(cursor: string): { key: string | number; id: number } {
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown]
    if ((typeof key === 'string' || typeof key === 'number') && Number.isInteger(id))
      return { key, id: id as number }
  } catch {
    // falls through to the error below
  }
  throw new AppError('VALIDATION', 'This page cursor is not valid; start from the first page.', {
    fields: { after: 'Invalid cursor' },
  })
}

/** The admin side: sub-users, invitations, admin actions, the Users page, a user's page, the dashboard. */
export class UserAdminService {
  constructor(private readonly d: UserAdminDeps) {}

  /** The person with this email (an adapter names people by email), or NOT_FOUND. */
  async byEmail(email: string): Promise<SessionUser> {
    const u = await findUserByEmail(this.d.db, email)
    if (!u) throw new AppError('NOT_FOUND', `No user has the email ${email}.`)
    return toSessionUser(u)
  }

  private async get(userId: number): Promise<UserRow> {
    const u = await findUserById(this.d.db, userId)
    if (!u) throw new AppError('NOT_FOUND', 'There is no such user.')
    return u
  }

  /**
   * A new invitation code (in the caller's transaction). Where email leaves this Tessera it goes to the
   * person by email, and nobody else sees it; otherwise it is returned, to be shown once to the admin.
   */
  private async issueInvitation(user: UserRow, actorId: number | null): Promise<InvitationDto> {
    const { db, email } = this.d
    const code = newInvitationCode()
    const now = this.d.clock.now()
    const expiresAt = now + INVITATION_DAYS * DAY
    await putInvitation(db, user.id, invitationHash(code), now, expiresAt, actorId)
    await markInvited(db, user.id, now)
    if (!(await email.delivers()))
      return { userId: user.id, email: user.email, code, expiresAt, emailedTo: null }
    const inviter = actorId === null ? undefined : await findUserById(db, actorId)
    const message = invitationEmail(await recipientLanguage(this.d.policy, user), {
      account: await email.accountName(),
      name: user.name,
      email: user.email,
      code,
      expiresAt,
      invitedBy: inviter ? inviter.name : null,
    })
    const id = await email.enqueue({
      to: user.email,
      ...message,
      kind: 'invitation',
      userId: user.id,
      actorId,
    })
    if (id === null) {
      throw new AppError(
        'THROTTLED',
        'No more email to this person now: the hourly limit is reached. Try again later.',
      )
    }
    await db.afterCommit(() => email.tryNow(id))
    return { userId: user.id, email: user.email, code: null, expiresAt, emailedTo: user.email }
  }

  /** Throws FORBIDDEN unless `actor` may do `action` to `target` (see whyNotActOn). */
  private authorize(actor: Actor, target: Party, action: PersonAction, newRole?: Role): void {
    allowOrThrow(whyNotActOn(actor, target, action, newRole))
  }

  /** A new sub-user and a single-use invitation code, shown once. */
  async create(input: CreateUserInput, actor: Actor, client: ClientInfo): Promise<InvitationDto> {
    const { db, clock, audit, policy } = this.d
    this.authorize(actor, { id: null, role: input.role }, 'create', input.role)
    const require2fa = input.requireTwoFactor ?? (await policy.get()).requireTwoFactorForNewUsers
    return db.transaction(async () => {
      if (await findUserByEmail(db, input.email)) {
        throw new AppError('CONFLICT', `A user with the email ${input.email} already exists.`, {
          fields: { email: 'This email is already in use' },
        })
      }
      const id = await insertUser(db, {
        email: input.email,
        name: input.name,
        role: input.role,
        status: 'invited',
        password_hash: null,
        require_2fa: require2fa ? 1 : 0,
        now: clock.now(),
        created_by: actor.id,
      })
      const invitation = await this.issueInvitation(await this.get(id), actor.id)
      await audit.append({
        type: 'user.created',
        actorId: actor.id,
        subjectId: id,
        data: { ...client, email: input.email, role: input.role, requireTwoFactor: require2fa },
      })
      return invitation
    })
  }

  /** A new invitation code; the old one stops working. */
  async resendInvitation(userId: number, actor: Actor, client: ClientInfo): Promise<InvitationDto> {
    const { db, audit } = this.d
    return db.transaction(async () => {
      const user = await this.get(userId)
      this.authorize(actor, user, 'reinvite')
      if (user.status !== 'invited')
        throw new AppError('CONFLICT', 'This user has already activated the account.')
      const invitation = await this.issueInvitation(user, actor.id)
      await audit.append({
        type: 'user.invitation_resent',
        actorId: actor.id,
        subjectId: userId,
        data: { ...client },
      })
      return invitation
    })
  }

  /**
   * The invited person sets a password with the code. `next` is 'enroll' when 2FA is required, so the
   * same machine goes straight into enrollment.
   */
  async activate(
    email: string,
    code: string,
    password: string,
    client: ClientInfo,
  ): Promise<{ user: SessionUser; next: 'done' | 'enroll' }> {
    const { db, clock, audit } = this.d
    const user = await findUserByEmail(db, email)
    const invitation = user ? await getInvitation(db, user.id) : undefined
    const refuse = async (reason: string, message = BAD_ACTIVATION): Promise<never> => {
      await audit.append({
        type: 'user.activation_failed',
        subjectId: user?.id ?? null,
        data: { ...client, email, reason },
      })
      throw new AppError('INVALID_CREDENTIALS', message)
    }
    if (!user || user.status !== 'invited' || !invitation)
      await refuse(user ? 'no_open_invitation' : 'unknown_user')
    if (!invitationMatches(code, invitation!.code_hash)) await refuse('wrong_code')
    if (invitation!.expires_at <= clock.now()) {
      await refuse('expired', 'This invitation has expired. Ask your administrator to send a new one.')
    }
    // With 2FA required and no grace period the password never works alone: 12 characters do.
    const passwordAlone = !user!.require_2fa || (await this.d.policy.get()).gracePeriodDays > 0
    this.d.passwordPolicy.check(password, user!, { passwordAlone })
    const hash = await this.d.hasher.hash(password)
    await db.transaction(async () => {
      if (!(await deleteInvitation(db, user!.id))) throw new AppError('INVALID_CREDENTIALS', BAD_ACTIVATION)
      await activateUser(db, user!.id, hash, clock.now())
      await audit.append({
        type: 'user.activated',
        actorId: user!.id,
        subjectId: user!.id,
        data: { ...client },
      })
    })
    return { user: toSessionUser(await this.get(user!.id)), next: user!.require_2fa ? 'enroll' : 'done' }
  }

  /** The last active owner stays an active owner. */
  private async keepAnOwner(target: UserRow, losesOwnership: boolean): Promise<void> {
    if (
      losesOwnership &&
      target.role === 'owner' &&
      target.status === 'active' &&
      (await countActiveOwners(this.d.db)) <= 1
    ) {
      throw new AppError('CONFLICT', NEEDS_OWNER)
    }
  }

  /** One admin action: authorized against the person as they are inside the transaction, and audited. */
  private async act(
    userId: number,
    actor: Actor,
    client: ClientInfo,
    action: PersonAction,
    type: string,
    data: object,
    change: (u: UserRow) => Promise<void>,
    newRole?: Role,
  ): Promise<void> {
    const { db, audit } = this.d
    await db.transaction(async () => {
      const user = await this.get(userId)
      this.authorize(actor, user, action, newRole)
      await change(user)
      await audit.append({ type, actorId: actor.id, subjectId: userId, data: { ...client, ...data } })
    })
  }

  async setRequireTwoFactor(
    userId: number,
    required: boolean,
    actor: Actor,
    client: ClientInfo,
  ): Promise<void> {
    const type = required ? 'user.2fa_required' : 'user.2fa_not_required'
    await this.act(userId, actor, client, 'require-2fa', type, {}, async () => {
      await setRequire2fa(this.d.db, userId, required, this.d.clock.now())
    })
  }

  /**
   * Removes the authenticator and backup codes; the user may only enroll again, on any machine. For an
   * admin or owner (or one demoted in the last 7 days) with 2FA on, one person cannot do that: it files
   * a recovery request about them instead, which two approvers of their rank must approve (the key
   * holder excepted). Returns that request's number, or null when the reset is done.
   */
  async resetTwoFactor(
    userId: number,
    actor: Actor,
    client: ClientInfo,
  ): Promise<{ pendingRequestId: number | null }> {
    const { db, clock } = this.d
    const user = await this.get(userId)
    this.authorize(actor, user, 'reset-2fa')
    const dualControlled = isDualControlled(dualControlRoleOf(user, clock.now()))
    if (dualControlled && !isKeyHolder(actor) && (await this.d.twoFactor.isEnrolled(userId))) {
      return { pendingRequestId: await this.d.recovery.fileReset(user, actor, client) }
    }
    await db.transaction(async () => {
      this.authorize(actor, await this.get(userId), 'reset-2fa')
      await this.d.twoFactor.remove(userId, actor.id, client, 'user.2fa_reset', { revoked: true })
    })
    return { pendingRequestId: null }
  }

  async unlock(userId: number, actor: Actor, client: ClientInfo): Promise<void> {
    await this.act(userId, actor, client, 'unlock', 'user.unlocked', {}, async () => {
      await AttemptLimiter.clear(this.d.db, userId)
    })
  }

  async setDisabled(userId: number, disabled: boolean, actor: Actor, client: ClientInfo): Promise<void> {
    if (userId === actor.id && disabled)
      throw new AppError('CONFLICT', 'You cannot disable your own account.')
    const type = disabled ? 'user.disabled' : 'user.enabled'
    await this.act(userId, actor, client, disabled ? 'disable' : 'enable', type, {}, async (u) => {
      await this.keepAnOwner(u, disabled)
      await setStatus(this.d.db, userId, disabled ? 'disabled' : 'active', this.d.clock.now())
    })
  }

  async changeRole(userId: number, role: Role, actor: Actor, client: ClientInfo): Promise<void> {
    await this.act(
      userId,
      actor,
      client,
      'change-role',
      'user.role_changed',
      { role },
      async (u) => {
        await this.keepAnOwner(u, role !== 'owner')
        await setRole(this.d.db, userId, role, this.d.clock.now())
      },
      role,
    )
  }

  /** Deletes the account; its audit history stays (events keep the user's id). */
  async delete(userId: number, actor: Actor, client: ClientInfo): Promise<void> {
    if (userId === actor.id) throw new AppError('CONFLICT', 'You cannot delete your own account.')
    const target = await this.get(userId)
    await this.act(
      userId,
      actor,
      client,
      'delete',
      'user.deleted',
      { email: target.email, role: target.role },
      async (u) => {
        await this.keepAnOwner(u, true)
        await deleteUser(this.d.db, userId)
      },
    )
  }

  async list(q: {
    search?: string | undefined
    filter?: UserFilter | undefined
    role?: Role | undefined
    sort: UserSort
    after?: string | undefined
    limit: number
  }): Promise<UserPageDto> {
    const now = this.d.clock.now()
    const graceMs = await this.graceMs()
    const rows = await listUsers(this.d.db, {
      search: q.search || undefined,
      filter: q.filter,
      role: q.role,
      sort: q.sort,
      after: q.after ? decodeCursor(q.after) : undefined,
      limit: q.limit,
      now,
      graceMs,
    })
    const last = rows.at(-1)
    return {
      users: rows.map((r) => toSummary(r, now, graceMs)),
      nextCursor: rows.length === q.limit && last ? encodeCursor(sortKeyOf(last, q.sort), last.id) : null,
    }
  }

  async detail(userId: number): Promise<UserDetailDto> {
    const { db, clock } = this.d
    const now = clock.now()
    const graceMs = await this.graceMs()
    // The reads are independent: on a team database each goes out on its own connection at once, so the
    // page waits for the slowest rather than for the sum of eight round trips.
    const [rows, user, twoFactor, invitation, phone, requests, events] = await Promise.all([
      listUsers(db, { sort: 'email', limit: 1, now, graceMs, userId }),
      findUserById(db, userId),
      this.d.twoFactor.status(userId),
      getInvitation(db, userId),
      phoneOf(db, userId),
      recoveryRequestsOf(db, userId, 10),
      recentEventsAbout(db, userId, 20),
    ])
    const row = rows[0]
    if (!row || !user) throw new AppError('NOT_FOUND', 'There is no such user.')
    return {
      user: toSummary(row, now, graceMs),
      requireTwoFactor: user.require_2fa === 1,
      mustEnroll: user.must_enroll === 1,
      twoFactor: { ...twoFactor, required: user.require_2fa === 1 },
      invitationExpiresAt: invitation?.expires_at ?? null,
      phone,
      recoveryRequests: requests.map((r) => ({
        id: r.id,
        status: r.status,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      })),
      recentEvents: await namedEventDtos(db, events),
    }
  }

  /** The policy's grace period for 2FA, in milliseconds. */
  private async graceMs(): Promise<number> {
    return (await this.d.policy.get()).gracePeriodDays * DAY_MS
  }

  async dashboard(): Promise<DashboardDto> {
    const { db, clock, audit } = this.d
    const now = clock.now()
    // Weeks start on Monday 00:00 UTC; the last bucket is the current week.
    const monday = now - ((new Date(now).getUTCDay() + 6) % 7) * DAY - (now % DAY)
    const first = monday - 11 * WEEK
    // Independent reads, sent at once (each on its own connection on a team database).
    const graceMs = await this.graceMs()
    const [c, weeks, locked, liveRequests, recent, riskNotStored] = await Promise.all([
      dashboardCounts(db),
      backupCodeUsesSince(db, first),
      countLockedUsers(db, now),
      countLiveRecoveryRequests(db),
      audit.list(undefined, 10),
      countAtRiskNotStored(db, now, now - graceMs),
    ])
    const buckets = Array.from({ length: 12 }, (_, i) => ({ weekStart: first + i * WEEK, count: 0 }))
    for (const w of weeks) {
      const bucket = buckets[Math.round((w.week_start - first) / WEEK)]
      if (bucket) bucket.count = w.uses
    }
    return {
      users: c.users,
      enrolled: c.enrolled,
      required: c.required + c.required_enrolled,
      requiredEnrolled: c.required_enrolled,
      atRisk: c.at_risk + riskNotStored,
      locked,
      pendingInvitations: c.pending_invitations,
      openRecoveryRequests: liveRequests,
      backupCodesUsedPerWeek: buckets,
      recentEvents: recent.events,
    }
  }
}

async function phoneOf(db: Store, userId: number): Promise<UserDetailDto['phone']> {
  const phone = await getPhone(db, userId)
  return phone ? { masked: maskPhone(phone.e164), verifiedAt: phone.verified_at } : null
}
