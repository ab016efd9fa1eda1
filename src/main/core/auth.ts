import type { SessionUser } from '../../shared/dto'
import { AppError } from '../../shared/result'
import type { Clock } from '../adapters/clock'
import type { Db } from '../db/connection'
import { countUsers, findUserByEmail, findUserById, insertUser, recordLogin, type UserRow } from '../db/queries/users'
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

export const toSessionUser = (u: UserRow): SessionUser => ({ id: u.id, email: u.email, name: u.name, role: u.role })

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
  async createOwner(input: { email: string; name: string; password: string }, client: ClientInfo): Promise<SessionUser> {
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
        audit.append({ type: 'setup.owner_created', actorId: id, subjectId: id, data: { ...client, email: input.email } })
        return toSessionUser(findUserById(db, id)!)
      })
      .immediate()
  }

  /** Email + password. Throws INVALID_CREDENTIALS, THROTTLED or ACCOUNT_LOCKED; audits every outcome. */
  async login(email: string, password: string, client: ClientInfo): Promise<SessionUser> {
    const user = findUserByEmail(this.d.db, email)
    if (!user || !user.password_hash) {
      await this.d.hasher.burn(password)
      this.d.audit.append({ type: 'login.failed', data: { ...client, email, reason: 'unknown_user' } })
      throw new AppError('INVALID_CREDENTIALS', INVALID)
    }
    await this.checkPassword(user, password, client, 'login')
    if (user.status === 'disabled') {
      this.d.audit.append({ type: 'login.refused', actorId: user.id, subjectId: user.id, data: { ...client, reason: 'disabled' } })
      throw new AppError('FORBIDDEN', 'This account is disabled. Ask an administrator.')
    }
    const { db, clock, audit } = this.d
    db.transaction(() => {
      recordLogin(db, user.id, clock.now())
      audit.append({ type: 'login.succeeded', actorId: user.id, subjectId: user.id, data: { ...client } })
    }).immediate()
    return toSessionUser(user)
  }

  /** Re-checks the signed-in user's password (unlocking the console), with the same limits as login. */
  async confirmPassword(userId: number, password: string, client: ClientInfo, purpose: 'unlock'): Promise<SessionUser> {
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
    purpose: 'login' | 'unlock',
  ): Promise<void> {
    const failedType = purpose === 'login' ? 'login.failed' : 'session.unlock_failed'
    this.limiter.assertAllowed(user.id, 'password', failedType, client)
    if (await this.d.hasher.verify(user.password_hash!, password)) {
      this.d.db.transaction(() => this.limiter.succeed(user.id, 'password')).immediate()
      return
    }
    const message = purpose === 'login' ? INVALID : 'The password is not correct.'
    this.limiter.fail(user.id, 'password', failedType, client, { reason: 'wrong_password' }, new AppError('INVALID_CREDENTIALS', message))
  }
}

export { MAX_CONSECUTIVE_FAILURES }
