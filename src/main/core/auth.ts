import type { SessionUser } from '../../shared/dto'
import { AppError } from '../../shared/result'
import type { Clock } from '../adapters/clock'
import type { Db } from '../db/connection'
import {
  countUsers,
  findUserByEmail,
  findUserById,
  insertUser,
  recordLogin,
  type UserRow,
} from '../db/queries/users'
import { getTotp } from '../db/queries/two-factor'
import type { AuditLog } from './audit'
import type { ClientInfo } from './client'
import { AttemptLimiter } from './attempts'
import { MAX_CONSECUTIVE_FAILURES } from './lockout'
import type { PasswordHasher, PasswordPolicy } from './passwords'
import type { PolicyService } from './policy'

export interface AuthDeps {
  db: Db
  clock: Clock
  audit: AuditLog
  hasher: PasswordHasher
  passwordPolicy: PasswordPolicy
  policy: PolicyService
}

export type LoginNext = 'done' | 'second-factor' | 'enroll'

export const toSessionUser = (u: UserRow): SessionUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
})

/** One message for a wrong email and a wrong password: the answer must not tell which accounts exist. */
const INVALID = 'The email or password is not correct.'

export class AuthService {
  private readonly limiter: AttemptLimiter

  constructor(private readonly d: AuthDeps) {
    this.limiter = new AttemptLimiter(d)
  }

  needsSetup(): boolean {
    return countUsers(this.d.db) === 0
  }

  /** First run: the owner account. Refused once any user exists. */
  async createOwner(
    input: { email: string; name: string; password: string },
    client: ClientInfo,
  ): Promise<SessionUser> {
    this.d.passwordPolicy.check(input.password, input)
    const passwordHash = await this.d.hasher.hash(input.password)
    const { db, clock, audit } = this.d
    return db
      .transaction(() => {
        if (countUsers(db) > 0) throw new AppError('CONFLICT', 'This database already has an owner.')
        const id = insertUser(db, {
          email: input.email,
          name: input.name,
          role: 'owner',
          status: 'active',
          password_hash: passwordHash,
          now: clock.now(),
        })
        audit.append({
          type: 'setup.owner_created',
          actorId: id,
          subjectId: id,
          data: { ...client, email: input.email },
        })
        return toSessionUser(findUserById(db, id)!)
      })
      .immediate()
  }

  /**
   * Email + password, the first step. Throws INVALID_CREDENTIALS, THROTTLED or ACCOUNT_LOCKED; audits
   * every outcome. `next` says what the person must do before the login is complete.
   */
  async login(
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<{ user: SessionUser; next: LoginNext }> {
    const user = findUserByEmail(this.d.db, email)
    if (!user || !user.password_hash) {
      await this.d.hasher.burn(password)
      this.d.audit.append({ type: 'login.failed', data: { ...client, email, reason: 'unknown_user' } })
      throw new AppError('INVALID_CREDENTIALS', INVALID)
    }
    await this.checkPassword(user, password, client, 'login')
    if (user.status === 'disabled') {
      this.d.audit.append({
        type: 'login.refused',
        actorId: user.id,
        subjectId: user.id,
        data: { ...client, reason: 'disabled' },
      })
      throw new AppError('FORBIDDEN', 'This account is disabled. Ask an administrator.')
    }
    const dueAt = this.twoFactorDueAt(user)
    const next: LoginNext = getTotp(this.d.db, user.id)
      ? 'second-factor'
      : user.require_2fa && (dueAt === null || dueAt <= this.d.clock.now())
        ? 'enroll'
        : 'done'
    if (next === 'done') this.completeLogin(user.id, client, 'password')
    else {
      this.d.audit.append({
        type: 'login.password_accepted',
        actorId: user.id,
        subjectId: user.id,
        data: { ...client, next },
      })
    }
    return { user: toSessionUser(user), next }
  }

  /**
   * When a user required to have 2FA but without it must have enrolled: the policy's grace period after
   * the requirement was set. Until then login goes on with a reminder; after it, into enrollment.
   */
  twoFactorDueAt(user: UserRow): number | null {
    const days = this.d.policy.get().gracePeriodDays
    if (!user.require_2fa || days === 0 || user.require_2fa_since === null) return null
    return user.require_2fa_since + days * 24 * 60 * 60_000
  }

  /** The grace deadline to remind a signed-in user of, if they still have no 2FA. */
  reminderFor(userId: number): number | null {
    const user = findUserById(this.d.db, userId)
    if (!user || getTotp(this.d.db, userId)) return null
    const due = this.twoFactorDueAt(user)
    return due !== null && due > this.d.clock.now() ? due : null
  }

  isTwoFactorRequired(userId: number): boolean {
    return findUserById(this.d.db, userId)?.require_2fa === 1
  }

  /** The login is complete: every required step passed. */
  completeLogin(
    userId: number,
    client: ClientInfo,
    method: 'password' | 'totp' | 'backup_code' | 'enrollment',
  ): void {
    const { db, clock, audit } = this.d
    db.transaction(() => {
      recordLogin(db, userId, clock.now())
      audit.append({
        type: 'login.succeeded',
        actorId: userId,
        subjectId: userId,
        data: { ...client, method },
      })
    }).immediate()
  }

  /** Re-checks the signed-in user's password (unlocking, re-authenticating), with the same limits as login. */
  async confirmPassword(
    userId: number,
    password: string,
    client: ClientInfo,
    purpose: 'unlock' | 'reauth',
  ): Promise<SessionUser> {
    const user = findUserById(this.d.db, userId)
    if (!user || !user.password_hash || user.status === 'disabled') {
      throw new AppError('UNAUTHENTICATED', 'Your session has ended. Sign in again.')
    }
    await this.checkPassword(user, password, client, purpose)
    return toSessionUser(user)
  }

  private async checkPassword(
    user: UserRow,
    password: string,
    client: ClientInfo,
    purpose: 'login' | 'unlock' | 'reauth',
  ): Promise<void> {
    const failedType = { login: 'login.failed', unlock: 'session.unlock_failed', reauth: 'reauth.failed' }[
      purpose
    ]
    this.limiter.assertAllowed(user.id, 'password', failedType, client)
    if (await this.d.hasher.verify(user.password_hash!, password)) {
      this.d.db.transaction(() => this.limiter.succeed(user.id, 'password')).immediate()
      return
    }
    const message = purpose === 'login' ? INVALID : 'The password is not correct.'
    this.limiter.fail(
      user.id,
      'password',
      failedType,
      client,
      { reason: 'wrong_password' },
      new AppError('INVALID_CREDENTIALS', message),
    )
  }
}

export { MAX_CONSECUTIVE_FAILURES }
