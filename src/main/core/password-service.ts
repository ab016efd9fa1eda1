import { isDualControlled, whyNotActOn } from '../../shared/access'
import type {
  PasswordAdminResetDto,
  PasswordChangedDto,
  PasswordForgotDto,
  PasswordResetDoneDto,
} from '../../shared/dto'
import { AppError } from '../../shared/result'
import type {
  PasswordChangeInput,
  PasswordResetWithAccessCodeInput,
  PasswordResetWithCodeInput,
} from '../../shared/schemas'
import type { Clock } from '../adapters/clock'
import {
  countSelfResetsSince,
  findPasswordReset,
  insertPasswordReset,
  revokePasswordResets,
  setPassword,
  usePasswordReset,
} from '../db/queries/passwords'
import { findUserByEmail, findUserById, type UserRow } from '../db/queries/users'
import type { Store } from '../db/store'
import { dualControlRoleOf, isKeyHolder, type Actor } from './actor'
import type { AuditLog } from './audit'
import { AttemptLimiter, emailKey } from './attempts'
import type { AuthService } from './auth'
import type { ClientInfo } from './client'
import type { EmailService } from './email-service'
import { codeUnusable, invitationHash, newInvitationCode } from './invitations'
import { passwordResetEmail, recipientLanguage } from './messages'
import type { NoticeService } from './notices'
import type { PasswordHasher, PasswordPolicy } from './passwords'
import type { PolicyService } from './policy'
import type { RecoveryService } from './recovery'
import type { TwoFactorService } from './two-factor'

/** A reset code works for 30 minutes. */
export const RESET_CODE_TTL_MS = 30 * 60_000
/** A person may ask for at most 3 reset codes an hour ("Forgot password?"). */
export const SELF_RESETS_PER_HOUR = 3
const HOUR_MS = 60 * 60_000

const BAD_ACCESS_CODE = 'This temporary access code is not correct.'
const BAD_CODE = 'This reset code is not correct, or it has expired or was already used. Ask for a new one.'

export interface PasswordServiceDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  hasher: PasswordHasher
  passwordPolicy: PasswordPolicy
  policy: PolicyService
  auth: AuthService
  twoFactor: TwoFactorService
  email: EmailService
  notices: NoticeService
  recovery: RecoveryService
}

/**
 * Passwords after the first one: changing it (the current password and the second factor), "Forgot
 * password?" (a one-time code by email), and an admin's reset (a code by email, or shown once; the
 * two-person rule for admins and owners). A new password ends every other session of the person, on
 * every console and in the CLI (`users.password_changed_at`), and never touches the second factor.
 * Reset codes have 130 bits, work once for 30 minutes and are stored as SHA-256; no step writes a
 * password or a code to the audit trail.
 */
export class PasswordService {
  private readonly limiter: AttemptLimiter

  constructor(private readonly d: PasswordServiceDeps) {
    this.limiter = new AttemptLimiter(d)
  }

  /** Whether the new password will be all that signs the account in (then it must be longer). */
  private async passwordAlone(user: UserRow): Promise<boolean> {
    if (await this.d.twoFactor.isEnrolled(user.id)) return false
    return !user.require_2fa || (await this.d.policy.get()).gracePeriodDays > 0
  }

  private async newHash(user: UserRow, password: string): Promise<string> {
    this.d.passwordPolicy.check(password, user, {
      passwordAlone: await this.passwordAlone(user),
      field: 'newPassword',
    })
    if (user.password_hash && (await this.d.hasher.verify(user.password_hash, password))) {
      const message = 'Choose a password different from the current one.'
      throw new AppError('WEAK_PASSWORD', message, { fields: { newPassword: message } })
    }
    return this.d.hasher.hash(password)
  }

  /**
   * My profile → Change password. The current password is checked with the limits of a login; with 2FA
   * on, the app code or a backup code too. Every other session ends; an email tells the person.
   */
  async change(userId: number, input: PasswordChangeInput, client: ClientInfo): Promise<PasswordChangedDto> {
    const { db, clock, audit } = this.d
    await this.d.auth.confirmPassword(userId, input.currentPassword, client, 'reauth')
    const user = (await findUserById(db, userId))!
    // The new password is checked before an app code or a backup code is spent on it.
    const hash = await this.newHash(user, input.newPassword)
    if (await this.d.twoFactor.isEnrolled(userId)) {
      if (!input.secondFactor) {
        const message =
          'Give the code from your authenticator app (or a backup code) to change your password.'
        throw new AppError('VALIDATION', message, { fields: { secondFactor: message } })
      }
      await this.d.twoFactor.verify(userId, input.secondFactor, client)
    }
    await db.transaction(async () => {
      const now = clock.now()
      await setPassword(db, userId, hash, now)
      const revoked = await revokePasswordResets(db, userId, now)
      await audit.append({
        type: 'password.changed',
        actorId: userId,
        subjectId: userId,
        data: { ...client, resetCodesRevoked: revoked },
      })
      await this.d.notices.tell(userId, { kind: 'password_changed', how: 'changed' })
    })
    return { otherSessionsEnded: true }
  }

  /**
   * "Forgot password?": a reset code by email to an active account with that address — at most 3 an
   * hour. The answer is the same for every address, and the message leaves after it (`delivery`), so
   * neither the words nor the time taken tell whether the address has an account.
   */
  async forgot(
    email: string,
    client: ClientInfo,
  ): Promise<{ answer: PasswordForgotDto; delivery: Promise<void> }> {
    const { db, clock, audit } = this.d
    const delivers = await this.d.email.delivers()
    const answer: PasswordForgotDto = delivers
      ? {
          message: `If an account uses ${email}, a reset code is on its way to it. The code works once, for 30 minutes. Check your spam folder if it does not arrive.`,
          emailDelivered: true,
        }
      : {
          message:
            'This Tessera does not send email yet, so no reset code can be sent. Ask an administrator to reset your password.',
          emailDelivered: false,
        }
    const code = newInvitationCode()
    const messageId = await db.transaction(async (): Promise<number | null> => {
      const now = clock.now()
      const user = await findUserByEmail(db, email)
      const record = (outcome: string, subject: number | null) =>
        audit.append({
          type: 'password.reset_requested',
          actorId: subject,
          subjectId: subject,
          data: { ...client, email, outcome },
        })
      if (!user || user.status !== 'active' || !user.password_hash) {
        await record(user ? `account_${user.status}` : 'unknown_email', user?.id ?? null)
        return null
      }
      if (!delivers) {
        await record('no_email_provider', user.id)
        return null
      }
      if ((await countSelfResetsSince(db, user.id, now - HOUR_MS)) >= SELF_RESETS_PER_HOUR) {
        await record('hourly_limit', user.id)
        return null
      }
      const expiresAt = now + RESET_CODE_TTL_MS
      await revokePasswordResets(db, user.id, now)
      await insertPasswordReset(db, {
        userId: user.id,
        codeHash: invitationHash(code),
        via: 'email',
        issuedBy: null,
        now,
        expiresAt,
      })
      await record('code_sent', user.id)
      const message = passwordResetEmail(await recipientLanguage(this.d.policy, user), {
        account: await this.d.email.accountName(),
        name: user.name,
        code,
        expiresAt,
        byAdmin: null,
        secondFactor: await this.d.twoFactor.isEnrolled(user.id),
      })
      return this.d.email.enqueue({ to: user.email, ...message, kind: 'password_reset', userId: user.id })
    })
    return { answer, delivery: this.d.email.tryNow(messageId) }
  }

  /**
   * The code and a new password: the password changes, every session ends, and signing in still takes
   * the second factor when the account has one. A wrong code counts as a failed password attempt.
   */
  async resetWithCode(input: PasswordResetWithCodeInput, client: ClientInfo): Promise<PasswordResetDoneDto> {
    const { db, clock, audit } = this.d
    const user = await findUserByEmail(db, input.email)
    const known = user?.status === 'active' && user.password_hash ? user : undefined
    const attempt = known
      ? await this.limiter.reserve({ userId: known.id, factor: 'password' }, 'password.reset_refused', client)
      : await this.limiter.reserve(emailKey(input.email), 'password.reset_refused', client, {
          email: input.email,
        })
    const row = known ? await findPasswordReset(db, known.id, invitationHash(input.code)) : undefined
    const now = clock.now()
    const reason = known ? codeUnusable(row, now) : 'unknown_email'
    if (reason !== null) await attempt.fail({ reason }, new AppError('INVALID_CODE', BAD_CODE))
    let hash: string
    try {
      hash = await this.newHash(known!, input.newPassword)
    } catch (e) {
      // The code was right: this is no failed guess. It stays usable with a better password.
      await attempt.succeed()
      throw e
    }
    await db.transaction(async () => {
      const at = clock.now()
      if (!(await usePasswordReset(db, row!.id, at))) throw new AppError('INVALID_CODE', BAD_CODE)
      await attempt.succeed()
      await setPassword(db, known!.id, hash, at)
      await revokePasswordResets(db, known!.id, at)
      await audit.append({
        type: 'password.reset',
        actorId: known!.id,
        subjectId: known!.id,
        data: { ...client, via: row!.via, issuedBy: row!.issued_by },
      })
      await this.d.notices.tell(known!.id, { kind: 'password_changed', how: 'reset' })
    })
    return {
      email: known!.email,
      secondFactorRequired: await this.d.twoFactor.isEnrolled(known!.id),
    }
  }

  /**
   * Lost both: the temporary access code support issued for a request to recover both, with the email
   * and a new password. The password changes, the old authenticator is revoked, and the person may only
   * enroll a new one. A wrong code counts against the second factor (the email's own limit when the
   * address has no account); the answer does not tell which.
   */
  async resetWithAccessCode(input: PasswordResetWithAccessCodeInput, client: ClientInfo): Promise<UserRow> {
    const { db } = this.d
    // The rules first, for every address alike, so a refusal tells nothing about which have accounts.
    // The person will enroll a new authenticator at once: 12 characters do.
    this.d.passwordPolicy.check(input.newPassword, input, { passwordAlone: false, field: 'newPassword' })
    const user = await findUserByEmail(db, input.email)
    const known = user?.status === 'active' ? user : undefined
    if (!known) {
      const attempt = await this.limiter.reserve(emailKey(input.email), 'login.access_code_refused', client, {
        email: input.email,
      })
      await attempt.fail({ reason: 'unknown_email' }, new AppError('INVALID_CODE', BAD_ACCESS_CODE))
    }
    const hash = await this.d.hasher.hash(input.newPassword)
    await this.d.recovery.verifyAccessCode(known!.id, input.code, client, hash)
    return (await findUserById(db, known!.id))!
  }

  /**
   * An admin resets someone's password: a code by email when email leaves this Tessera, else shown once
   * to the admin to pass on. For an admin or owner (or one demoted in the last 7 days), with or without
   * 2FA, one person cannot: a recovery request about them waits for two approvers of their rank instead.
   */
  async adminReset(userId: number, actor: Actor, client: ClientInfo): Promise<PasswordAdminResetDto> {
    const { db, clock } = this.d
    const subject = await findUserById(db, userId)
    if (!subject) throw new AppError('NOT_FOUND', 'No such user.')
    if (actor.id === subject.id) {
      throw new AppError('FORBIDDEN', 'Change your own password in My profile instead.')
    }
    const why = whyNotActOn(actor, subject, 'reset-password')
    if (why) throw new AppError('FORBIDDEN', why)
    if (subject.status !== 'active') {
      throw new AppError(
        'CONFLICT',
        subject.status === 'invited'
          ? 'This person has not activated the account yet: send a new invitation instead.'
          : 'This account is disabled: enable it first.',
      )
    }
    if (isDualControlled(dualControlRoleOf(subject, clock.now())) && !isKeyHolder(actor)) {
      return {
        outcome: 'pending',
        requestId: await this.d.recovery.fileReset(subject, actor, client, 'password'),
      }
    }
    return this.issue(subject, actor.id, client)
  }

  /**
   * A reset code for `subject`, issued by `issuedBy` (an admin, or the agent finishing a recovery): by
   * email when email leaves this Tessera, else returned to be shown once. Earlier codes stop working.
   */
  async issue(subject: UserRow, issuedBy: number | null, client: ClientInfo): Promise<PasswordAdminResetDto> {
    const { db, clock, audit } = this.d
    const delivers = await this.d.email.delivers()
    if (delivers && !(await this.d.email.withinCaps(subject.id))) {
      throw new AppError(
        'THROTTLED',
        'No more email to this person now: the hourly limit is reached. Try again later.',
      )
    }
    const code = newInvitationCode()
    const issuer = issuedBy === null ? null : await findUserById(db, issuedBy)
    const expiresAt = await db.transaction(async () => {
      const now = clock.now()
      const expiresAt = now + RESET_CODE_TTL_MS
      const replaced = await revokePasswordResets(db, subject.id, now)
      await insertPasswordReset(db, {
        userId: subject.id,
        codeHash: invitationHash(code),
        via: delivers ? 'email' : 'shown',
        issuedBy,
        now,
        expiresAt,
      })
      await audit.append({
        type: 'password.reset_issued',
        actorId: issuedBy,
        subjectId: subject.id,
        data: { ...client, delivery: delivers ? 'email' : 'shown', replaced },
      })
      if (!delivers) return expiresAt
      const message = passwordResetEmail(await recipientLanguage(this.d.policy, subject), {
        account: await this.d.email.accountName(),
        name: subject.name,
        code,
        expiresAt,
        byAdmin: issuer ? { name: issuer.name } : 'key-holder',
        secondFactor: await this.d.twoFactor.isEnrolled(subject.id),
      })
      const messageId = await this.d.email.enqueue({
        to: subject.email,
        ...message,
        kind: 'password_reset',
        userId: subject.id,
        actorId: issuedBy,
      })
      // Sent once the change is saved (this may run inside a recovery request's transaction).
      await db.afterCommit(() => this.d.email.tryNow(messageId))
      return expiresAt
    })
    if (!delivers) return { outcome: 'shown', code, expiresAt }
    return { outcome: 'emailed', to: subject.email, expiresAt }
  }
}
