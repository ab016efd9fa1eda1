import type {
  AccessCodeIssuedDto,
  RecoveryFiledDto,
  RecoveryPersonDto,
  RecoveryRequestDetailDto,
  RecoveryRequestPage,
  RecoveryRequestSummaryDto,
  SessionUser,
} from '../../shared/dto'
import { revokePasswordResets, setPassword } from '../db/queries/passwords'
import { messagesIn, recipientLanguage, whenText } from './messages'
import type { NoticeService } from './notices'
import type { PasswordAdminResetDto } from '../../shared/dto'
import { AppError } from '../../shared/result'
import { smsDeliveryOf } from '../../shared/schemas'
import {
  liveRecoveryStatuses,
  RECOVERY_MIN_CHECKS,
  recoveryChecks,
  type RecoveryCheck,
  type RecoveryRequestInput,
  type RecoveryStatus,
} from '../../shared/schemas'
import type { Clock } from '../adapters/clock'
import { getPhone } from '../db/queries/phones'
import type { Store } from '../db/store'
import { findUserByEmail, findUserById } from '../db/queries/users'
import {
  accessCodesOf,
  addRecoveryApproval,
  addRecoveryChecks,
  addRecoveryNote,
  countLiveRecoveryRequests,
  dueToExpire,
  extendRecoveryExpiry,
  findAccessCode,
  getRecoveryListRow,
  getRecoveryRequest,
  insertAccessCode,
  insertRecoveryRequest,
  listRecoveryRequests,
  liveRequestOf,
  markApproved,
  recoveryApprovalsOf,
  recoveryChecksOf,
  recoveryEvents,
  recoveryNotesOf,
  revokeAccessCodes,
  setRecoveryStatus,
  touchRecoveryRequest,
  useAccessCode,
  type RecoveryListRow,
  type RecoveryRow,
} from '../db/queries/recovery'
import {
  approvalsRequiredFor,
  coolingOffMinutesFor,
  whyNotApprover,
  whyNotWorkRecovery,
  type ApproverFacts,
} from '../../shared/access'
import type { UserRow } from '../db/queries/users'
import { dualControlRoleOf, type Actor } from './actor'
import { AttemptLimiter } from './attempts'
import { namedEventDtos, type AuditLog } from './audit'
import { recoveryFacts } from './recovery-facts'
import type { ClientInfo } from './client'
import { codeUnusable, invitationHash, newInvitationCode } from './invitations'
import { maskPhone } from './phone'
import type { PolicyService } from './policy'
import type { SmsService } from './sms-service'
import type { TwoFactorService } from './two-factor'

/** A temporary access code works once, for 24 hours. */
export const ACCESS_CODE_TTL_MS = 24 * 60 * 60_000
const MINUTE = 60_000
const HOUR = 60 * MINUTE

export interface RecoveryDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  policy: PolicyService
  sms: SmsService
  twoFactor: TwoFactorService
  notices: NoticeService
}

/** What the two-person rule needs to know about an agent. */
const approverFacts = (u: UserRow): ApproverFacts => ({
  id: u.id,
  role: u.role,
  newestStartAt: Math.max(u.created_at, u.invited_at ?? 0, u.activated_at ?? 0),
  createdBy: u.created_by,
})

const when = whenText

const person = (row: { id: number; email: string; name: string; role: string } | undefined) =>
  row ? ({ id: row.id, email: row.email, name: row.name, role: row.role } as RecoveryPersonDto) : null

const SPENT =
  'This temporary access code is not valid: it may have expired, been used, or been replaced. Ask support again.'

/**
 * Support-assisted recovery of a lost device: a person files a request after the password; agents
 * record identity checks and notes, approve (twice for admin and owner accounts, by different agents)
 * or deny; after the cooling-off period a temporary access code (130 bits, one use, 24 h) goes by SMS to
 * the verified phone or is shown once to the agent. Logging in with it revokes the old authenticator and
 * leaves only enrollment. Every step is audited with the agent; no note, message or code goes in the trail.
 */
export class RecoveryService {
  private readonly limiter: AttemptLimiter

  constructor(private readonly d: RecoveryDeps) {
    this.limiter = new AttemptLimiter(d)
  }

  /** "Ask support for help": the person has passed the password step. */
  async file(userId: number, input: RecoveryRequestInput, client: ClientInfo): Promise<RecoveryFiledDto> {
    return this.d.db.transaction(async () => {
      const live = await liveRequestOf(this.d.db, userId)
      if (live) {
        throw new AppError(
          'CONFLICT',
          `You already asked support for help on ${when(live.created_at)} (request #${live.id}, ${live.status}). Support will contact you.`,
        )
      }
      return this.open(userId, { ...input, kind: 'lost_device', filedBy: userId }, client)
    })
  }

  /**
   * "I lost my password and my authenticator": filed from the sign-in screen with the email alone. It is
   * worked like any request, and ends with a new password and a new authenticator (purpose 'both'). The
   * answer is the same whatever the address; only an active account with no live request gets one.
   */
  async fileWithoutPassword(
    email: string,
    input: RecoveryRequestInput,
    client: ClientInfo,
  ): Promise<{ message: string }> {
    const { db, audit } = this.d
    await db.transaction(async () => {
      const user = await findUserByEmail(db, email)
      const live = user ? await liveRequestOf(db, user.id) : undefined
      const refused = !user
        ? 'unknown_email'
        : user.status !== 'active'
          ? `account_${user.status}`
          : live
            ? 'live_request'
            : null
      if (refused) {
        await audit.append({
          type: 'recovery.request_refused',
          subjectId: user?.id ?? null,
          data: { ...client, email, reason: refused, filedFrom: 'sign-in' },
        })
        return
      }
      await this.open(user!.id, { ...input, kind: 'lost_device', filedBy: user!.id, purpose: 'both' }, client)
    })
    return {
      message: `If an account uses ${email}, support now has your request and will contact you as you asked. They will check who you are before giving you a temporary access code.`,
    }
  }

  /**
   * An admin asked to reset the 2FA of an admin or owner: that is a recovery request about them, worked
   * like any other (identity checks, two approvers of their rank, cooling-off, a temporary access code to
   * the person). A live request about them already waiting is returned instead of a second one.
   */
  async fileReset(
    subject: UserRow,
    by: Actor,
    client: ClientInfo,
    purpose: 'password' | '2fa' = '2fa',
  ): Promise<number> {
    const { db } = this.d
    return db.transaction(async () => {
      const live = await liveRequestOf(db, subject.id)
      if (live && live.purpose === purpose) return live.id
      if (live) {
        throw new AppError(
          'CONFLICT',
          `A recovery request about ${subject.email} is already open (#${live.id}, ${live.purpose === 'password' ? 'a password reset' : live.purpose === 'both' ? 'a new password and authenticator' : 'a new authenticator'}): finish or deny it first.`,
        )
      }
      const filer = by.id === null ? undefined : await findUserById(db, by.id)
      const name = filer ? `${filer.name} (${filer.role})` : 'the key holder'
      const what = purpose === 'password' ? 'password' : 'two-factor authentication'
      const filed = await this.open(
        subject.id,
        {
          message: `An administrator, ${name}, asked to reset this person's ${what} from the Users page (${client.machine}).`,
          contact: filer ? filer.email : 'key holder',
          kind: 'admin_reset',
          filedBy: by.id,
          purpose,
        },
        client,
      )
      return filed.requestId
    })
  }

  /** Opens a request (in the caller's transaction) and queues the notice to the person's verified phone. */
  private async open(
    userId: number,
    r: {
      message: string
      contact: string
      kind: RecoveryRow['kind']
      filedBy: number | null
      purpose?: RecoveryRow['purpose']
    },
    client: ClientInfo,
  ): Promise<RecoveryFiledDto> {
    const { db, clock, audit, policy } = this.d
    await this.expireDue()
    const now = clock.now()
    const expiresAt = now + (await policy.get()).recoveryRequestHours * HOUR
    const requestId = await insertRecoveryRequest(db, { userId, ...r, now, expiresAt })
    const phone = await getPhone(db, userId)
    await audit.append({
      type: 'recovery.requested',
      actorId: r.filedBy,
      subjectId: userId,
      data: {
        ...client,
        requestId,
        kind: r.kind,
        purpose: r.purpose ?? '2fa',
        phoneNotified: phone ? maskPhone(phone.e164) : null,
      },
    })
    await this.d.notices.tell(
      userId,
      { kind: 'recovery_filed', byAdmin: r.kind === 'admin_reset', purpose: r.purpose ?? '2fa' },
      { actorId: r.filedBy },
    )
    return { requestId, status: 'open', expiresAt, notifiedPhone: phone ? maskPhone(phone.e164) : null }
  }

  async list(input: {
    status: RecoveryStatus | 'live' | 'all'
    before?: number | undefined
    limit: number
  }): Promise<RecoveryRequestPage> {
    await this.expireDue()
    const statuses =
      input.status === 'live' ? liveRecoveryStatuses : input.status === 'all' ? null : [input.status]
    const [rows, liveCount] = await Promise.all([
      listRecoveryRequests(this.d.db, statuses, input.before, input.limit),
      countLiveRecoveryRequests(this.d.db),
    ])
    const last = rows.at(-1)
    return {
      requests: rows.map((r) => summary(r, this.d.clock.now())),
      nextBefore: rows.length === input.limit && last ? last.id : null,
      liveCount,
    }
  }

  async detail(requestId: number, agent: SessionUser): Promise<RecoveryRequestDetailDto> {
    await this.expireDue()
    return this.describe(requestId, agent)
  }

  /** Identity checks and/or a note; the first action on an open request moves it to verifying. */
  async check(
    requestId: number,
    input: { checks: readonly RecoveryCheck[]; note?: string | undefined },
    agent: SessionUser,
    client: ClientInfo,
  ): Promise<RecoveryRequestDetailDto> {
    const { db, clock, audit } = this.d
    await this.expireDue()
    await db.transaction(async () => {
      const r = await this.workable(requestId, agent, ['open', 'verifying'], 'record checks on')
      const now = clock.now()
      if (r.status === 'open') {
        await setRecoveryStatus(db, r.id, ['open'], 'verifying', now)
        await audit.append({
          type: 'recovery.verifying',
          actorId: agent.id,
          subjectId: r.user_id,
          data: { ...client, requestId: r.id },
        })
      }
      const added = await addRecoveryChecks(db, r.id, input.checks, agent.id, now)
      if (input.note !== undefined) await addRecoveryNote(db, r.id, agent.id, input.note, now)
      await touchRecoveryRequest(db, r.id, now)
      await audit.append({
        type: 'recovery.checks_recorded',
        actorId: agent.id,
        subjectId: r.user_id,
        data: { ...client, requestId: r.id, checks: added, note: input.note !== undefined },
      })
    })
    return this.describe(requestId, agent)
  }

  /**
   * One agent's approval. When enough agents approved (two, different, for admin and owner accounts),
   * the request is approved; the access code may be issued once the cooling-off period is over.
   */
  async approve(
    requestId: number,
    note: string | undefined,
    agent: SessionUser,
    client: ClientInfo,
  ): Promise<RecoveryRequestDetailDto> {
    const { db, clock, audit, policy } = this.d
    await this.expireDue()
    await db.transaction(async () => {
      const r = await this.workable(requestId, agent, ['open', 'verifying'], 'approve')
      const blocked = await this.approveBlocked(r, agent)
      if (blocked) throw new AppError('CONFLICT', blocked)
      const now = clock.now()
      await addRecoveryApproval(db, r.id, agent.id, now)
      if (note !== undefined) await addRecoveryNote(db, r.id, agent.id, note, now)
      await touchRecoveryRequest(db, r.id, now)
      const subject = (await findUserById(db, r.user_id))!
      const subjectRole = dualControlRoleOf(subject, now)
      const required = approvalsRequiredFor(subjectRole)
      const approvals = (await recoveryApprovalsOf(db, r.id)).length
      await audit.append({
        type: 'recovery.approval_recorded',
        actorId: agent.id,
        subjectId: r.user_id,
        data: {
          ...client,
          requestId: r.id,
          approvals,
          approvalsRequired: required,
          note: note !== undefined,
        },
      })
      if (approvals < required) return
      // Never under 15 minutes for an admin or owner, whatever the policy says.
      const effectiveAt =
        now + coolingOffMinutesFor(subjectRole, (await policy.get()).recoveryCoolingOffMinutes) * MINUTE
      await markApproved(db, r.id, {
        now,
        effectiveAt,
        expiresAt: effectiveAt + ACCESS_CODE_TTL_MS,
        decidedBy: agent.id,
      })
      await audit.append({
        type: 'recovery.approved',
        actorId: agent.id,
        subjectId: r.user_id,
        data: {
          ...client,
          requestId: r.id,
          approvers: (await recoveryApprovalsOf(db, r.id)).map((a) => a.agent_id),
          effectiveAt: new Date(effectiveAt).toISOString(),
        },
      })
      await this.d.notices.tell(
        r.user_id,
        { kind: 'recovery_approved', effectiveAt: effectiveAt > now ? effectiveAt : null },
        { actorId: agent.id },
      )
    })
    return this.describe(requestId, agent)
  }

  async deny(
    requestId: number,
    reason: string,
    agent: SessionUser,
    client: ClientInfo,
  ): Promise<RecoveryRequestDetailDto> {
    const { db, clock, audit } = this.d
    await this.expireDue()
    await db.transaction(async () => {
      const r = await this.workable(requestId, agent, liveRecoveryStatuses, 'deny')
      const now = clock.now()
      await setRecoveryStatus(db, r.id, liveRecoveryStatuses, 'denied', now, {
        decidedBy: agent.id,
        deniedReason: reason,
      })
      const revoked = await revokeAccessCodes(db, r.id, now)
      await audit.append({
        type: 'recovery.denied',
        actorId: agent.id,
        subjectId: r.user_id,
        data: { ...client, requestId: r.id, reason, codesRevoked: revoked },
      })
    })
    return this.describe(requestId, agent)
  }

  /**
   * A temporary access code for an approved request whose cooling-off period is over. With a verified
   * phone it goes by SMS (the agent never sees it); without one it is returned once, to read out.
   * Issuing again revokes the previous code.
   */
  async issueCode(requestId: number, agent: SessionUser, client: ClientInfo): Promise<AccessCodeIssuedDto> {
    const { db, clock, audit } = this.d
    await this.expireDue()
    const code = newInvitationCode()
    // Who may, first; then whether one more SMS may go (a refusal is audited outside the transaction).
    const subjectPhone = await getPhone(
      db,
      (await this.workable(requestId, agent, ['approved'], 'issue a code for')).user_id,
    )
    if (subjectPhone) {
      await this.d.sms.assertWithinCaps({
        to: subjectPhone.e164,
        kind: 'access_code',
        userId: subjectPhone.user_id,
        actorId: agent.id,
      })
    }
    const target = await this.workable(requestId, agent, ['approved'], 'issue a code for')
    if (target.purpose === 'password') return this.issuePasswordCode(target, agent, client)
    const { phoneMasked, expiresAt, messageId } = await db.transaction(async () => {
      const r = await this.workable(requestId, agent, ['approved'], 'issue a code for')
      const now = clock.now()
      const blocked = await this.issueBlocked(r, agent, now)
      if (blocked) {
        throw new AppError('CONFLICT', blocked, {
          retryAfterSeconds: Math.max(1, Math.ceil((r.effective_at! - now) / 1000)),
        })
      }
      const phone = await getPhone(db, r.user_id)
      const delivery = phone ? ('sms' as const) : ('agent' as const)
      const expiresAt = now + ACCESS_CODE_TTL_MS
      const replaced = await revokeAccessCodes(db, r.id, now)
      await insertAccessCode(db, {
        requestId: r.id,
        userId: r.user_id,
        codeHash: invitationHash(code),
        delivery,
        issuedBy: agent.id,
        now,
        expiresAt,
      })
      await extendRecoveryExpiry(db, r.id, expiresAt)
      await touchRecoveryRequest(db, r.id, now)
      await audit.append({
        type: 'recovery.code_issued',
        actorId: agent.id,
        subjectId: r.user_id,
        data: {
          ...client,
          requestId: r.id,
          delivery,
          phone: phone ? maskPhone(phone.e164) : null,
          replaced,
          expiresAt: new Date(expiresAt).toISOString(),
        },
      })
      await this.d.notices.tell(
        r.user_id,
        { kind: 'recovery_code_issued', via: phone ? 'sms' : 'agent', code: 'access' },
        { actorId: agent.id },
      )
      if (!phone) {
        return { phoneMasked: null, expiresAt, messageId: null }
      }
      const words = messagesIn(await recipientLanguage(this.d.policy, await findUserById(db, r.user_id)))
      const body = (c: string) => words.accessCodeSms(c, r.purpose === 'both')
      const messageId = await this.d.sms.enqueue({
        to: phone.e164,
        body: body(code),
        displayText: body('•••••-•••••-•••••-•••••-•••••-•'),
        kind: 'access_code',
        userId: r.user_id,
      })
      return { phoneMasked: maskPhone(phone.e164), expiresAt, messageId }
    })
    if (phoneMasked === null || messageId === null) {
      return { requestId, delivery: 'agent', code, expiresAt }
    }
    await this.d.sms.tryNow(messageId)
    const entry = await this.d.sms.entry(messageId)
    return {
      requestId,
      delivery: 'sms',
      phone: phoneMasked,
      expiresAt,
      sms: { status: entry.status, lastError: entry.lastError, delivery: smsDeliveryOf(entry) },
    }
  }

  /**
   * The end of an approved request to reset an admin's or owner's password: a reset code by email (or
   * shown once to the agent where no email leaves this Tessera). The request is then complete; the
   * second factor stays as it is.
   */
  issuePasswordReset:
    | ((subject: UserRow, agentId: number | null, client: ClientInfo) => Promise<PasswordAdminResetDto>)
    | undefined

  private async issuePasswordCode(
    r: RecoveryRow,
    agent: SessionUser,
    client: ClientInfo,
  ): Promise<AccessCodeIssuedDto> {
    const { db, clock, audit } = this.d
    const issue = this.issuePasswordReset
    if (!issue) throw new Error('No password reset is wired to the recovery queue.')
    return db.transaction(async () => {
      const now = clock.now()
      const blocked = await this.issueBlocked(r, agent, now)
      if (blocked) {
        throw new AppError('CONFLICT', blocked, {
          retryAfterSeconds: Math.max(1, Math.ceil((r.effective_at! - now) / 1000)),
        })
      }
      if (!(await setRecoveryStatus(db, r.id, ['approved'], 'completed', now, { completedAt: now }))) {
        throw new AppError('CONFLICT', 'This request changed meanwhile: open it again.')
      }
      const issued = await issue((await findUserById(db, r.user_id))!, agent.id, client)
      await this.d.notices.tell(
        r.user_id,
        {
          kind: 'recovery_code_issued',
          via: issued.outcome === 'emailed' ? 'email' : 'agent',
          code: 'password_reset',
        },
        { actorId: agent.id },
      )
      await audit.append({
        type: 'recovery.completed',
        actorId: agent.id,
        subjectId: r.user_id,
        data: { ...client, requestId: r.id, purpose: r.purpose },
      })
      if (issued.outcome === 'emailed') {
        return { requestId: r.id, delivery: 'email' as const, to: issued.to, expiresAt: issued.expiresAt }
      }
      if (issued.outcome === 'shown') {
        return { requestId: r.id, delivery: 'agent' as const, code: issued.code, expiresAt: issued.expiresAt }
      }
      throw new Error('A password reset at the end of a recovery request cannot file another request.')
    })
  }

  /**
   * Logging in with a temporary access code (after the password): the request completes, the old
   * authenticator and backup codes are revoked, and only enrollment is left. Failures count with the
   * second factor's limits.
   */
  async verifyAccessCode(
    userId: number,
    typed: string,
    client: ClientInfo,
    /** Signing in with the code instead of the password (a request to recover both): the new one. */
    newPasswordHash?: string,
  ): Promise<void> {
    const { db, clock, audit } = this.d
    const attempt = await this.limiter.reserve(
      { userId, factor: 'second_factor' },
      'login.access_code_refused',
      client,
      { method: 'access_code' },
    )
    await this.expireDue()
    const row = await findAccessCode(db, userId, invitationHash(typed))
    const now = clock.now()
    const request = row ? await getRecoveryRequest(db, row.request_id) : undefined
    const reason =
      codeUnusable(row, now) ??
      (request?.status !== 'approved'
        ? 'request_not_approved'
        : newPasswordHash !== undefined && request.purpose !== 'both'
          ? 'password_not_covered'
          : null)
    if (reason !== null) {
      const message = reason === 'wrong_code' ? 'This temporary access code is not correct.' : SPENT
      await attempt.fail({ reason }, new AppError('INVALID_CODE', message))
    }
    await db.transaction(async () => {
      const at = clock.now()
      if (!(await useAccessCode(db, row!.id, at))) throw new AppError('INVALID_CODE', SPENT)
      if (
        !(await setRecoveryStatus(db, row!.request_id, ['approved'], 'completed', at, { completedAt: at }))
      ) {
        throw new AppError('INVALID_CODE', SPENT)
      }
      await attempt.succeed()
      await audit.append({
        type: 'recovery.completed',
        actorId: userId,
        subjectId: userId,
        data: { ...client, requestId: row!.request_id },
      })
      await this.d.twoFactor.remove(userId, userId, client, '2fa.revoked_after_support_recovery', {
        revoked: true,
        notice: false,
      })
      if (newPasswordHash !== undefined) {
        await setPassword(db, userId, newPasswordHash, at)
        await revokePasswordResets(db, userId, at)
        await audit.append({
          type: 'password.reset',
          actorId: userId,
          subjectId: userId,
          data: { ...client, via: 'access_code', requestId: row!.request_id },
        })
      }
      await this.d.notices.tell(userId, { kind: 'recovery_completed' })
    })
  }

  /** Live requests past their time become expired (and their codes unusable); audited without an actor. */
  async expireDue(): Promise<void> {
    const { db, clock, audit } = this.d
    if ((await dueToExpire(db, clock.now())).length === 0) return
    await db.transaction(async () => {
      const now = clock.now()
      for (const r of await dueToExpire(db, now)) {
        if (!(await setRecoveryStatus(db, r.id, liveRecoveryStatuses, 'expired', now))) continue
        await revokeAccessCodes(db, r.id, now)
        await audit.append({
          type: 'recovery.expired',
          actorId: null,
          subjectId: r.user_id,
          data: { requestId: r.id, was: r.status },
        })
      }
    })
  }

  /**
   * The request, in one of `statuses`, about someone the agent may work on: not themselves, and at or
   * below the agent's rank (an owner's request only by owners).
   */
  private async workable(
    requestId: number,
    agent: SessionUser,
    statuses: readonly RecoveryStatus[],
    verb: string,
  ): Promise<RecoveryRow> {
    const r = await getRecoveryRequest(this.d.db, requestId)
    if (!r) throw new AppError('NOT_FOUND', `There is no recovery request #${requestId}.`)
    const why = await this.whyNotWork(r, agent)
    if (why) throw new AppError('FORBIDDEN', why)
    if (!statuses.includes(r.status)) {
      throw new AppError('CONFLICT', `Request #${r.id} is ${r.status}: you cannot ${verb} it.`)
    }
    return r
  }

  private async whyNotWork(r: Pick<RecoveryRow, 'user_id'>, agent: SessionUser): Promise<string | null> {
    const subject = (await findUserById(this.d.db, r.user_id))!
    return whyNotWorkRecovery(agent, { id: subject.id, role: dualControlRoleOf(subject, this.d.clock.now()) })
  }

  private async approveBlocked(r: RecoveryRow, agent: SessionUser): Promise<string | null> {
    const why = await this.whyNotWork(r, agent)
    if (why) return why
    if (r.status !== 'verifying' && r.status !== 'open') return `The request is ${r.status}.`
    const checks = (await recoveryChecksOf(this.d.db, r.id)).length
    if (checks < RECOVERY_MIN_CHECKS) {
      return `Record at least ${RECOVERY_MIN_CHECKS} identity checks before approving (${checks} so far).`
    }
    const { db, clock } = this.d
    const facts = async (id: number) => approverFacts((await findUserById(db, id))!)
    const agentFacts = await facts(agent.id)
    const subject = (await findUserById(db, r.user_id))!
    const approvers: ApproverFacts[] = []
    for (const a of await recoveryApprovalsOf(db, r.id)) approvers.push(await facts(a.agent_id))
    return whyNotApprover(
      agentFacts,
      { id: subject.id, role: dualControlRoleOf(subject, clock.now()) },
      approvers,
      clock.now(),
    )
  }

  private async issueBlocked(r: RecoveryRow, agent: SessionUser, now: number): Promise<string | null> {
    const why = await this.whyNotWork(r, agent)
    if (why) return why
    if (r.status !== 'approved') return `The request is ${r.status}; only an approved request gets a code.`
    if (r.effective_at !== null && r.effective_at > now) {
      return `The cooling-off period lasts until ${when(r.effective_at)}; the code can be issued after that.`
    }
    return null
  }

  private async describe(requestId: number, agent: SessionUser): Promise<RecoveryRequestDetailDto> {
    const { db, clock } = this.d
    const row = await getRecoveryListRow(db, requestId)
    if (!row) throw new AppError('NOT_FOUND', `There is no recovery request #${requestId}.`)
    const people = new Map<number, RecoveryPersonDto | null>()
    const who = async (id: number | null): Promise<RecoveryPersonDto | null> => {
      if (id === null) return null
      if (!people.has(id)) people.set(id, person(await findUserById(db, id)))
      return people.get(id)!
    }
    const phone = await getPhone(db, row.user_id)
    const twoFactor = await this.d.twoFactor.status(row.user_id)
    const mayWork = (await this.whyNotWork(row, agent)) === null
    const approveBlocked = await this.approveBlocked(row, agent)
    const issueBlocked = await this.issueBlocked(row, agent, clock.now())
    const live = (liveRecoveryStatuses as readonly string[]).includes(row.status)
    const checks: RecoveryRequestDetailDto['checks'] = []
    for (const c of await recoveryChecksOf(db, row.id)) {
      checks.push({
        check: c.check_key as RecoveryCheck,
        label: recoveryChecks[c.check_key as RecoveryCheck] ?? c.check_key,
        by: await who(c.agent_id),
        at: c.created_at,
      })
    }
    const notes: RecoveryRequestDetailDto['notes'] = []
    for (const n of await recoveryNotesOf(db, row.id)) {
      notes.push({ by: await who(n.agent_id), at: n.created_at, body: n.body })
    }
    const approvalsBy: RecoveryRequestDetailDto['approvalsBy'] = []
    for (const a of await recoveryApprovalsOf(db, row.id)) {
      approvalsBy.push({ by: await who(a.agent_id), at: a.created_at })
    }
    const coolingOffMinutes = coolingOffMinutesFor(
      dualControlRoleOf(row, clock.now()),
      (await this.d.policy.get()).recoveryCoolingOffMinutes,
    )
    const decidedBy = await who(row.decided_by)
    const codes: RecoveryRequestDetailDto['codes'] = []
    for (const c of await accessCodesOf(db, row.id)) {
      codes.push({
        issuedAt: c.created_at,
        issuedBy: await who(c.issued_by),
        delivery: c.delivery,
        expiresAt: c.expires_at,
        usedAt: c.used_at,
        revokedAt: c.revoked_at,
      })
    }
    const events = await namedEventDtos(db, await recoveryEvents(db, row.user_id, row.id))
    const backupCodes = { left: twoFactor.backupCodesRemaining, total: twoFactor.backupCodesTotal }
    const facts = mayWork ? await recoveryFacts(db, row, backupCodes, clock.now()) : null
    return {
      ...summary(row, clock.now()),
      message: row.message,
      contact: row.contact,
      twoFactor: { enrolled: twoFactor.enrolled, backupCodesRemaining: twoFactor.backupCodesRemaining },
      phone: phone ? maskPhone(phone.e164) : null,
      checks,
      notes,
      approvalsBy,
      effectiveAt: row.effective_at,
      coolingOffMinutes,
      deniedReason: row.denied_reason,
      decidedBy,
      completedAt: row.completed_at,
      codes,
      actions: {
        check: mayWork && (row.status === 'open' || row.status === 'verifying'),
        approve: { allowed: approveBlocked === null, reason: approveBlocked },
        deny: mayWork && live,
        issueCode: { allowed: issueBlocked === null, reason: issueBlocked },
      },
      events,
      facts,
    }
  }
}

function summary(row: RecoveryListRow, now: number): RecoveryRequestSummaryDto {
  return {
    id: row.id,
    user: { id: row.user_id, email: row.email, name: row.name, role: row.role },
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    checkCount: row.check_count,
    approvals: row.approvals,
    approvalsRequired: approvalsRequiredFor(dualControlRoleOf(row, now)),
    kind: row.kind,
    purpose: row.purpose,
  }
}
