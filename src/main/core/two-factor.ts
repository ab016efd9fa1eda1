import { hash, verify } from '../adapters/argon2'
import { AppError } from '../../shared/result'
import type { Clock } from '../adapters/clock'
import { findUserById, setMustEnroll } from '../db/queries/users'
import {
  advanceTotpStep,
  backupSlots,
  deleteBackupCodes,
  deletePendingTotp,
  deleteTotp,
  getPendingTotp,
  getTotp,
  insertTotp,
  putPendingTotp,
  replaceBackupCodes,
  spendBackupCode,
  type BackupSlotRow,
  type TotpRow,
} from '../db/queries/two-factor'
import type { Store } from '../db/store'
import type { AuditLog } from './audit'
import { AttemptLimiter, type AttemptSteps } from './attempts'
import type { Who } from './messages'
import { BACKUP_CODE_COUNT, newBackupCode, normalizeBackupCode } from './backup-codes'
import type { ClientInfo } from './client'
import { PASSWORD_HASH_PARAMS } from './passwords'
import type { PolicyService } from './policy'
import type { NoticeService } from './notices'
import { manualKey, matchTotp, newTotpSecret, otpauthUri, toBase32, type TotpParams } from './totp'

export const ENROLLMENT_TTL_MS = 15 * 60_000

export interface TwoFactorDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  policy: PolicyService
  notices: NoticeService
}

export interface EnrollmentStart {
  otpauthUri: string
  manualKey: string
  secret: string
  expiresAt: number
}

export interface BackupSlot {
  slot: number
  usedAt: number | null
  usedMachine: string | null
}

export interface TwoFactorStatus {
  enrolled: boolean
  enrolledAt: number | null
  backupCodesRemaining: number
  backupCodesTotal: number
  slots: BackupSlot[]
}

export type SecondFactor = { code: string } | { backupCode: string }

export type SecondFactorResult =
  { method: 'totp' } | { method: 'backup_code'; slot: number; backupCodesRemaining: number }

const paramsOf = (row: TotpRow): TotpParams => ({
  secret: new Uint8Array(row.secret),
  algorithm: row.algorithm,
  digits: row.digits,
  period: row.period,
})

const WRONG_CODE = 'The code is not correct. Check the time on your phone and enter the current code.'
const REPLAYED = 'This code was already used. Wait for the next code in your authenticator app.'
const WRONG_BACKUP = 'This backup code is not correct or was already used.'
const NO_BACKUP =
  'All your backup codes are used. Sign in with your authenticator app and reset two-factor authentication to get new ones, or ask an administrator.'

/** Authenticator enrollment, the second login step, and backup codes. */
export class TwoFactorService {
  private readonly limiter: AttemptLimiter

  constructor(private readonly d: TwoFactorDeps) {
    this.limiter = new AttemptLimiter(d)
  }

  async isEnrolled(userId: number): Promise<boolean> {
    return (await getTotp(this.d.db, userId)) !== undefined
  }

  /** A new secret, waiting for its first code. 2FA stays off until confirmEnrollment. */
  async startEnrollment(user: { id: number; email: string }, client: ClientInfo): Promise<EnrollmentStart> {
    const { db, clock, audit } = this.d
    if (await this.isEnrolled(user.id)) {
      throw new AppError(
        'CONFLICT',
        'Two-factor authentication is already on. Reset it to enroll a new device.',
      )
    }
    const secret = newTotpSecret()
    const now = clock.now()
    const expiresAt = now + ENROLLMENT_TTL_MS
    await db.transaction(async () => {
      await putPendingTotp(db, user.id, secret, now, expiresAt)
      await audit.append({
        type: '2fa.enrollment_started',
        actorId: user.id,
        subjectId: user.id,
        data: { ...client },
      })
    })
    return {
      otpauthUri: otpauthUri(secret, user.email),
      manualKey: manualKey(secret),
      secret: toBase32(secret),
      expiresAt,
    }
  }

  /** The first code proves the app holds the secret: 2FA turns on and five backup codes are issued. */
  async confirmEnrollment(
    userId: number,
    code: string,
    client: ClientInfo,
  ): Promise<{ backupCodes: string[] }> {
    const { db, clock, audit } = this.d
    const pending = await getPendingTotp(db, userId)
    if (!pending || pending.expires_at <= clock.now()) {
      throw new AppError('NOT_FOUND', 'No enrollment is waiting for a code (or it expired). Start again.')
    }
    const params: TotpParams = {
      secret: new Uint8Array(pending.secret),
      algorithm: 'sha1',
      digits: 6,
      period: 30,
    }
    const step = await matchTotp(params, code.trim(), clock.now())
    if (step === null) {
      await audit.append({
        type: '2fa.code_refused',
        actorId: userId,
        subjectId: userId,
        data: { ...client, during: 'enrollment' },
      })
      throw new AppError('INVALID_CODE', WRONG_CODE)
    }
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode)
    const hashes = await Promise.all(codes.map((c) => hash(c, PASSWORD_HASH_PARAMS)))
    await db.transaction(async () => {
      const now = clock.now()
      if (!(await deletePendingTotp(db, userId)))
        throw new AppError('CONFLICT', 'This enrollment was already completed.')
      await insertTotp(db, userId, params.secret, now, step)
      await replaceBackupCodes(db, userId, hashes, now)
      await setMustEnroll(db, userId, false)
      await audit.append({
        type: '2fa.enrolled',
        actorId: userId,
        subjectId: userId,
        data: { ...client, backupCodesIssued: BACKUP_CODE_COUNT },
      })
      await this.d.notices.tell(userId, { kind: '2fa_enabled' })
    })
    return { backupCodes: codes }
  }

  async abandonEnrollment(userId: number, client: ClientInfo): Promise<void> {
    const { db, audit } = this.d
    await db.transaction(async () => {
      if (await deletePendingTotp(db, userId)) {
        await audit.append({
          type: '2fa.enrollment_abandoned',
          actorId: userId,
          subjectId: userId,
          data: { ...client },
        })
      }
    })
  }

  async status(userId: number): Promise<TwoFactorStatus> {
    const [totp, backup] = await Promise.all([getTotp(this.d.db, userId), backupSlots(this.d.db, userId)])
    const slots = backup.map((s) => ({
      slot: s.slot,
      usedAt: s.used_at,
      usedMachine: s.used_machine,
    }))
    return {
      enrolled: totp !== undefined,
      enrolledAt: totp?.enrolled_at ?? null,
      backupCodesRemaining: slots.filter((s) => s.usedAt === null).length,
      backupCodesTotal: slots.length,
      slots,
    }
  }

  /**
   * The second login step (also re-authentication for managing 2FA). Counted apart from password
   * failures; the code is matched (TOTP, or Argon2 over the unused backup codes) outside any transaction,
   * and one write transaction then settles the attempt, moves the replay guard or spends the backup code,
   * audits, and runs `accepted` (the login's own writes) when the code passed. Throws INVALID_CODE,
   * CODE_REPLAYED, NO_BACKUP_CODES, ENROLLMENT_REQUIRED, THROTTLED or ACCOUNT_LOCKED.
   */
  async verify(
    userId: number,
    factor: SecondFactor,
    client: ClientInfo,
    purpose = 'login',
    accepted?: (result: SecondFactorResult) => Promise<void>,
  ): Promise<SecondFactorResult> {
    const { db } = this.d
    const method = 'code' in factor ? 'totp' : 'backup_code'
    // What needs no secret to tell comes first, and costs no attempt.
    const row = await getTotp(db, userId)
    if (!row)
      throw new AppError('ENROLLMENT_REQUIRED', 'Two-factor authentication is not set up for this account.')
    const slots = method === 'backup_code' ? await backupSlots(db, userId) : []
    if (slots.length > 0 && slots.every((s) => s.used_at !== null))
      throw new AppError('NO_BACKUP_CODES', NO_BACKUP)
    const key = { userId, factor: 'second_factor' } as const
    const data = { method, purpose }
    return 'code' in factor
      ? this.limiter.attempt(
          key,
          '2fa.code_refused',
          client,
          data,
          this.totpSteps(userId, row, factor.code, client, purpose, accepted),
        )
      : this.limiter.attempt(
          key,
          '2fa.code_refused',
          client,
          data,
          this.backupSteps(userId, slots, factor.backupCode, client, purpose, accepted),
        )
  }

  private totpSteps(
    userId: number,
    row: TotpRow,
    code: string,
    client: ClientInfo,
    purpose: string,
    accepted?: (result: SecondFactorResult) => Promise<void>,
  ): AttemptSteps<number | null, SecondFactorResult> {
    const { db, clock, audit } = this.d
    return {
      check: async (admissible) => (admissible ? matchTotp(paramsOf(row), code.trim(), clock.now()) : null),
      quick: true,
      settle: async (attempt, step) => {
        if (step === null)
          return attempt.fail({ reason: 'wrong_code' }, new AppError('INVALID_CODE', WRONG_CODE))
        // The replay guard: a time step at or before the last accepted one was used already.
        if (!(await advanceTotpStep(db, userId, step)))
          return attempt.fail({ reason: 'replayed' }, new AppError('CODE_REPLAYED', REPLAYED))
        await attempt.succeed()
        await audit.append({
          type: '2fa.code_accepted',
          actorId: userId,
          subjectId: userId,
          data: { ...client, purpose },
        })
        const result = { method: 'totp' } as const
        await accepted?.(result)
        return result
      },
    }
  }

  private backupSteps(
    userId: number,
    slots: readonly BackupSlotRow[],
    typed: string,
    client: ClientInfo,
    purpose: string,
    accepted?: (result: SecondFactorResult) => Promise<void>,
  ): AttemptSteps<number | undefined, SecondFactorResult> {
    const { db, clock, audit } = this.d
    const unused = slots.filter((s) => s.used_at === null)
    const code = normalizeBackupCode(typed)
    return {
      check: async (admissible) => {
        if (!admissible || !code) return undefined
        let match: number | undefined
        for (const s of unused) {
          // Every unused slot is checked, even after a match, so the time taken does not tell which matched.
          if ((await verify(s.code_hash, code)) && match === undefined) match = s.slot
        }
        return match
      },
      settle: async (attempt, match) => {
        // Another login may have spent the same code a moment earlier: exactly one of them gets in.
        if (match === undefined || !(await spendBackupCode(db, userId, match, clock.now(), client.machine)))
          return attempt.fail({ reason: 'wrong_backup_code' }, new AppError('INVALID_CODE', WRONG_BACKUP))
        await attempt.succeed()
        const left = unused.length - 1
        await audit.append({
          type: '2fa.backup_code_used',
          actorId: userId,
          subjectId: userId,
          data: { ...client, purpose, slot: match, remaining: left },
        })
        await this.d.notices.tell(userId, { kind: 'backup_code_used', slot: match, left })
        const result = { method: 'backup_code', slot: match, backupCodesRemaining: left } as const
        await accepted?.(result)
        return result
      },
    }
  }

  /**
   * A new set of five; the old set stops working. The caller has re-checked password and app code, or
   * (`proof` recent_sign_in) the session signed in with both moments ago; the audit says which.
   */
  async regenerateBackupCodes(
    userId: number,
    client: ClientInfo,
    proof: 'password_and_code' | 'recent_sign_in' = 'password_and_code',
  ): Promise<{ backupCodes: string[] }> {
    const { db, clock, audit } = this.d
    if (!(await this.isEnrolled(userId)))
      throw new AppError('ENROLLMENT_REQUIRED', 'Turn on two-factor authentication first.')
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode)
    const hashes = await Promise.all(codes.map((c) => hash(c, PASSWORD_HASH_PARAMS)))
    await db.transaction(async () => {
      await replaceBackupCodes(db, userId, hashes, clock.now())
      await audit.append({
        type: '2fa.backup_codes_regenerated',
        actorId: userId,
        subjectId: userId,
        data: { ...client, proof },
      })
      await this.d.notices.tell(userId, { kind: 'backup_codes_regenerated' })
    })
    return { backupCodes: codes }
  }

  /**
   * Removes the authenticator and the backup codes. `actorId` differs from the user for an admin reset
   * (null: the key holder). `revoked`: the person did not turn it off themselves (SMS login, access code,
   * admin reset), so they may only enroll a new one, on any machine, until they do.
   */
  async remove(
    userId: number,
    actorId: number | null,
    client: ClientInfo,
    type = '2fa.disabled',
    /**
     * `notice`: tell the person (default), not at all (the caller tells something else), or by email
     * only (they have just used their phone to do this: an SMS there tells them nothing).
     */
    options: { revoked: boolean; notice?: boolean | 'email-only' } = { revoked: false },
  ): Promise<void> {
    const { db, audit } = this.d
    await db.transaction(async () => {
      const hadAuthenticator = await deleteTotp(db, userId)
      await deleteBackupCodes(db, userId)
      await deletePendingTotp(db, userId)
      // Only an authenticator that existed can be revoked; resetting someone without one changes nothing.
      if (options.revoked && hadAuthenticator) await setMustEnroll(db, userId, true)
      await audit.append({ type, actorId, subjectId: userId, data: { ...client } })
      if (hadAuthenticator && options.notice !== false) {
        const by: Who | null =
          actorId === userId
            ? null
            : actorId === null
              ? 'key-holder'
              : { name: (await findUserById(db, actorId))?.name ?? null }
        await this.d.notices.tell(
          userId,
          { kind: '2fa_disabled', by },
          { actorId, emailOnly: options.notice === 'email-only' },
        )
      }
    })
  }
}
