import type { SessionUser } from '../../shared/dto'
import type { Policy } from '../../shared/schemas'
import { AppError } from '../../shared/result'
import type { Clock } from '../adapters/clock'
import {
  countUsers,
  findUserByEmail,
  findUserById,
  insertUser,
  recordLogin,
  sessionFactsWithSetting,
  type UserRow,
} from '../db/queries/users'
import { getTotp } from '../db/queries/two-factor'
import type { Store } from '../db/store'
import type { AuditLog } from './audit'
import type { ClientInfo } from './client'
import { AttemptLimiter, arrivalKey, emailKey, type Turn } from './attempts'
import { MAX_CONSECUTIVE_FAILURES } from './lockout'
import type { PasswordHasher, PasswordPolicy } from './passwords'
import { POLICY_SETTING, type PolicyService } from './policy'
import type { NoticeService } from './notices'
import type { SecondFactor, SecondFactorResult, TwoFactorService } from './two-factor'

export interface AuthDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  hasher: PasswordHasher
  passwordPolicy: PasswordPolicy
  policy: PolicyService
  twoFactor: TwoFactorService
  notices: NoticeService
}

export type LoginNext = 'done' | 'second-factor' | 'enroll'

type SignInMethod = 'password' | 'totp' | 'backup_code' | 'enrollment'

export const toSessionUser = (u: Pick<UserRow, 'id' | 'email' | 'name' | 'role'>): SessionUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
})

/** What a session must follow on every call: who the person is now, and whether they may only enroll. */
export interface SessionFacts {
  user: SessionUser
  status: UserRow['status']
  mustEnroll: boolean
  passwordChangedAt: number | null
}

/** One message for a wrong email and a wrong password: the answer must not tell which accounts exist. */
const INVALID = 'The email or password is not correct.'
const DISABLED = 'This account is disabled. Ask an administrator.'

type PasswordPurpose = 'login' | 'unlock' | 'reauth'
const failedTypeOf: Record<PasswordPurpose, string> = {
  login: 'login.failed',
  unlock: 'session.unlock_failed',
  reauth: 'reauth.failed',
}

/**
 * Signing in, re-authenticating and the limits on both: the one use case the console's IPC handlers and
 * the CLI both call. Every password check costs one Argon2id verification whatever the outcome, so
 * neither the answer nor its timing tells which emails have an account; it runs outside any transaction,
 * and each login step then writes its outcome — the attempt counted or cleared, lockout, audit events,
 * the sign-in — in one write transaction (see AttemptLimiter.attempt).
 */
export class AuthService {
  private readonly limiter: AttemptLimiter

  constructor(private readonly d: AuthDeps) {
    this.limiter = new AttemptLimiter(d)
  }

  async needsSetup(): Promise<boolean> {
    return (await countUsers(this.d.db)) === 0
  }

  /** First run: the owner account. Refused once any user exists. */
  async createOwner(
    input: { email: string; name: string; password: string },
    client: ClientInfo,
  ): Promise<SessionUser> {
    // The first owner signs in with the password alone until they turn 2FA on.
    this.d.passwordPolicy.check(input.password, input, { passwordAlone: true })
    const passwordHash = await this.d.hasher.hash(input.password)
    const { db, clock, audit } = this.d
    return db.transaction(async () => {
      if ((await countUsers(db)) > 0) throw new AppError('CONFLICT', 'This database already has an owner.')
      const id = await insertUser(db, {
        email: input.email,
        name: input.name,
        role: 'owner',
        status: 'active',
        password_hash: passwordHash,
        now: clock.now(),
      })
      await audit.append({
        type: 'setup.owner_created',
        actorId: id,
        subjectId: id,
        data: { ...client, email: input.email },
      })
      return toSessionUser((await findUserById(db, id))!)
    })
  }

  /**
   * Email + password, the first step. Throws INVALID_CREDENTIALS, THROTTLED, ACCOUNT_LOCKED or (right
   * password, disabled account) FORBIDDEN; audits every outcome. `next` says what the person must do
   * before the login is complete.
   */
  async login(
    email: string,
    password: string,
    client: ClientInfo,
  ): Promise<{ user: SessionUser; next: LoginNext }> {
    const { user, result: next } = await this.checkEmailAndPassword(email, password, client, 'login', {
      // Read while Argon2 runs: what the login asks for next, if the password is right.
      read: (u) => this.nextStep(u),
      accepted: async (u, next) => {
        if (next === 'done') await this.recordSignIn(u.id, client, 'password')
        else {
          await this.d.audit.append({
            type: 'login.password_accepted',
            actorId: u.id,
            subjectId: u.id,
            data: { ...client, next },
          })
        }
        return next
      },
    })
    return { user: toSessionUser(user), next }
  }

  /**
   * The second login step: the app code or a backup code; the login is complete when it passes, recorded
   * in the same transaction as the code's outcome.
   */
  async verifySecondFactor(
    userId: number,
    factor: SecondFactor,
    client: ClientInfo,
  ): Promise<SecondFactorResult> {
    return this.d.twoFactor.verify(userId, factor, client, 'login', (result) =>
      this.recordSignIn(userId, client, result.method),
    )
  }

  /**
   * A complete sign-in in one call, for the CLI: the password, then — asked for only when the account
   * has one — the second factor. An account that must (re-)enroll first cannot act as anyone yet
   * (ENROLLMENT_REQUIRED); no factor given where one is needed is SECOND_FACTOR_REQUIRED.
   */
  async authenticate(
    email: string,
    password: string,
    secondFactor: () => Promise<SecondFactor | undefined>,
    client: ClientInfo,
  ): Promise<SessionUser> {
    const { user, next } = await this.login(email, password, client)
    if (next === 'enroll') {
      throw new AppError(
        'ENROLLMENT_REQUIRED',
        `${user.email} must set up two-factor authentication before acting (tessera 2fa enroll --email ${user.email}).`,
      )
    }
    if (next === 'second-factor') {
      const factor = await secondFactor()
      if (!factor) {
        throw new AppError(
          'SECOND_FACTOR_REQUIRED',
          `${user.email} has two-factor authentication: give the current app code (or a backup code) on the line after the password.`,
        )
      }
      await this.verifySecondFactor(user.id, factor, client)
    }
    return user
  }

  /**
   * Email + password checked again for someone acting on their own account from the CLI (2FA enrollment,
   * the emergency phone): the same limits and answers as a login, audited as a re-authentication.
   */
  async reauthenticate(email: string, password: string, client: ClientInfo): Promise<SessionUser> {
    const { user } = await this.checkEmailAndPassword(email, password, client, 'reauth', {
      accepted: async () => undefined,
    })
    return toSessionUser(user)
  }

  /** Re-checks the signed-in user's password (unlocking, re-authenticating), with the same limits as login. */
  async confirmPassword(
    userId: number,
    password: string,
    client: ClientInfo,
    purpose: 'unlock' | 'reauth',
  ): Promise<SessionUser> {
    const user = await findUserById(this.d.db, userId)
    if (!user || !user.password_hash || user.status !== 'active') {
      throw new AppError('UNAUTHENTICATED', 'Your session has ended. Sign in again.')
    }
    await this.checkPassword(
      user,
      user.email,
      password,
      failedTypeOf[purpose],
      client,
      'The password is not correct.',
      {
        accepted: async () => undefined,
      },
    )
    return toSessionUser(user)
  }

  /**
   * What the login asks for after the password: the second factor when there is one; enrollment when an
   * authenticator was revoked (stored, so it holds on every machine) or 2FA is required and the grace
   * period is over; otherwise nothing.
   */
  private async nextStep(user: UserRow): Promise<LoginNext> {
    if (await getTotp(this.d.db, user.id)) return 'second-factor'
    if (user.must_enroll) return 'enroll'
    const dueAt = await this.twoFactorDueAt(user)
    return user.require_2fa && (dueAt === null || dueAt <= this.d.clock.now()) ? 'enroll' : 'done'
  }

  /**
   * The password step shared by login and CLI re-authentication. Known and unknown emails take the same
   * path: one attempt (per account, or per email string when there is no account), one Argon2id
   * verification, the same answers. A disabled account's right password is refused (FORBIDDEN) in the
   * same transaction that records it.
   */
  private async checkEmailAndPassword<T, P = undefined>(
    email: string,
    password: string,
    client: ClientInfo,
    purpose: 'login' | 'reauth',
    after: {
      read?: (user: UserRow) => Promise<P>
      accepted: (user: UserRow, read: P) => Promise<T>
    },
  ): Promise<{ user: UserRow; result: T }> {
    // The place in the order of arrival is taken before the account is read: attempts on one address
    // settle in the order they came.
    const turn = this.limiter.turn(arrivalKey(emailKey(email)))
    let user: UserRow | undefined
    try {
      user = await findUserByEmail(this.d.db, email)
    } catch (e) {
      turn.release()
      throw e
    }
    const known = user?.password_hash ? user : undefined
    const read = known && after.read ? () => after.read!(known) : undefined
    const result = await this.checkPassword(
      known,
      email,
      password,
      failedTypeOf[purpose],
      client,
      INVALID,
      {
        read,
        accepted: async (r: P) => {
          if (known!.status !== 'disabled') return after.accepted(known!, r)
          await this.d.audit.append({
            type: 'login.refused',
            actorId: known!.id,
            subjectId: known!.id,
            data: { ...client, reason: 'disabled' },
          })
          return new AppError('FORBIDDEN', DISABLED)
        },
      },
      turn,
    )
    return { user: known!, result }
  }

  /**
   * One password check (against the account, or the address when `user` is undefined): one Argon2id
   * verification outside any transaction — a dummy one for an unknown address or a refused attempt, so
   * every answer takes the same time — while `after.read` reads what a success needs; then one write
   * transaction that settles the attempt and, when the password was right, writes `after.accepted`.
   * Throws `wrong` as INVALID_CREDENTIALS, THROTTLED / ACCOUNT_LOCKED, or what `accepted` returned.
   */
  private async checkPassword<T, P>(
    user: UserRow | undefined,
    email: string,
    password: string,
    failedType: string,
    client: ClientInfo,
    wrong: string,
    after: { read?: () => Promise<P>; accepted: (read: P) => Promise<T | AppError> },
    turn?: Turn,
  ): Promise<T> {
    const { hasher } = this.d
    const key = user ? ({ userId: user.id, factor: 'password' } as const) : emailKey(email)
    return this.limiter.attempt(
      key,
      failedType,
      client,
      user ? {} : { email },
      {
        check: async (admissible) => {
          if (admissible && user) {
            const [matches, read] = await Promise.all([
              hasher.verify(user.password_hash!, password),
              after.read?.(),
            ])
            return { matches, read }
          }
          await hasher.burn(password)
          return { matches: false, read: undefined }
        },
        settle: async (attempt, { matches, read }) => {
          if (!matches) {
            return attempt.fail(
              { reason: user ? 'wrong_password' : 'unknown_user' },
              new AppError('INVALID_CREDENTIALS', wrong),
            )
          }
          await attempt.succeed()
          return after.accepted(read as P)
        },
      },
      turn,
    )
  }

  /**
   * When a user required to have 2FA but without it must have enrolled: the policy's grace period after
   * the requirement was set. Until then login goes on with a reminder; after it, into enrollment.
   */
  async twoFactorDueAt(user: UserRow): Promise<number | null> {
    const days = (await this.d.policy.get()).gracePeriodDays
    if (!user.require_2fa || days === 0 || user.require_2fa_since === null) return null
    return user.require_2fa_since + days * 24 * 60 * 60_000
  }

  /** The grace deadline to remind a signed-in user of, if they still have no 2FA. */
  async reminderFor(userId: number): Promise<number | null> {
    const user = await findUserById(this.d.db, userId)
    if (!user || (await getTotp(this.d.db, userId))) return null
    const due = await this.twoFactorDueAt(user)
    return due !== null && due > this.d.clock.now() ? due : null
  }

  async isTwoFactorRequired(userId: number): Promise<boolean> {
    return (await findUserById(this.d.db, userId))?.require_2fa === 1
  }

  /**
   * The person as the database has them now, for a session to follow, and the policy in force, in one
   * query: what every call of a signed-in client checks. Undefined when the person no longer exists.
   */
  async sessionFactsAndPolicy(userId: number): Promise<{ person: SessionFacts; policy: Policy } | undefined> {
    const u = await sessionFactsWithSetting(this.d.db, userId, POLICY_SETTING)
    return u && { person: factsOf(u), policy: this.d.policy.fromSetting(u.setting) }
  }

  /** The login is complete: every required step passed. */
  async completeLogin(userId: number, client: ClientInfo, method: SignInMethod): Promise<void> {
    await this.d.db.transaction(() => this.recordSignIn(userId, client, method))
  }

  /** What a complete login writes, in the caller's transaction (the last step's own, where there is one). */
  private async recordSignIn(userId: number, client: ClientInfo, method: SignInMethod): Promise<void> {
    const { db, clock, audit } = this.d
    await recordLogin(db, userId, clock.now())
    await audit.append({
      type: 'login.succeeded',
      actorId: userId,
      subjectId: userId,
      data: { ...client, method },
    })
  }
}

export { MAX_CONSECUTIVE_FAILURES }

const factsOf = (
  u: Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'status' | 'must_enroll' | 'password_changed_at'>,
): SessionFacts => ({
  user: toSessionUser(u),
  status: u.status,
  mustEnroll: u.must_enroll === 1,
  passwordChangedAt: u.password_changed_at,
})
