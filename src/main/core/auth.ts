import type { SessionUser } from '../../shared/dto'
import { AppError } from '../../shared/result'
import type { Clock } from '../adapters/clock'
import type { Db } from '../db/connection'
import { addFailure, clearThrottle, getThrottle, setLockedUntil } from '../db/queries/throttle'
import { countUsers, findUserByEmail, findUserById, insertUser, recordLogin, type UserRow } from '../db/queries/users'
import type { AuditLog } from './audit'
import type { ClientInfo } from './client'
import { decideAttempt, lockAfterFailure, MAX_CONSECUTIVE_FAILURES } from './lockout'
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

function lockedMessage(until: number | null): string {
  return until === null
    ? 'This account is locked after too many failed attempts. An administrator must unlock it.'
    : `This account is locked after too many failed attempts until ${new Date(until).toISOString()}.`
}

export class AuthService {
  constructor(private readonly d: AuthDeps) {}

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
    const { db, clock, audit, policy } = this.d
    const rules = policy.get()
    const failedType = purpose === 'login' ? 'login.failed' : 'session.unlock_failed'
    const decision = decideAttempt(getThrottle(db, user.id, 'password'), rules, clock.now())
    if (!decision.allowed) {
      audit.append({ type: failedType, actorId: user.id, subjectId: user.id, data: { ...client, reason: decision.reason } })
      if (decision.reason === 'locked') {
        throw new AppError('ACCOUNT_LOCKED', lockedMessage(decision.lockedUntil), { lockedUntil: decision.lockedUntil })
      }
      const retryAfterSeconds = Math.ceil(decision.retryAfterMs / 1000)
      throw new AppError('THROTTLED', `Too many failed attempts. Try again in ${retryAfterSeconds} s.`, {
        retryAfterSeconds,
      })
    }
    const valid = await this.d.hasher.verify(user.password_hash!, password)
    if (valid) {
      db.transaction(() => clearThrottle(db, user.id, 'password')).immediate()
      return
    }
    const lock = db
      .transaction(() => {
        const now = clock.now()
        const failures = addFailure(db, user.id, 'password', now)
        audit.append({
          type: failedType,
          actorId: user.id,
          subjectId: user.id,
          data: { ...client, reason: 'wrong_password', consecutiveFailures: failures },
        })
        const lock = lockAfterFailure(failures, rules, now)
        if (lock) {
          setLockedUntil(db, user.id, 'password', lock.lockedUntil)
          audit.append({
            type: 'account.locked',
            subjectId: user.id,
            data: {
              factor: 'password',
              consecutiveFailures: failures,
              until: lock.lockedUntil === null ? null : new Date(lock.lockedUntil).toISOString(),
              permanent: lock.permanent,
            },
          })
        }
        return lock
      })
      .immediate()
    if (lock) throw new AppError('ACCOUNT_LOCKED', lockedMessage(lock.lockedUntil), { lockedUntil: lock.lockedUntil })
    throw new AppError('INVALID_CREDENTIALS', purpose === 'login' ? INVALID : 'The password is not correct.')
  }
}

export { MAX_CONSECUTIVE_FAILURES }
