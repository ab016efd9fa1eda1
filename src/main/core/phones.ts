import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import type { PhoneStatusDto, SmsCodeSentDto } from '../../shared/dto'
import { AppError } from '../../shared/result'
import { smsDeliveryOf, type SmsDelivery } from '../../shared/schemas'
import type { Clock } from '../adapters/clock'
import {
  addSmsCodeTry,
  deletePhonePending,
  getPhone,
  getPhonePending,
  getSmsCode,
  insertSmsCode,
  latestSmsCode,
  putPhone,
  putPhonePending,
  smsCodeTimesSince,
  useSmsCode,
  type SmsCodePurpose,
  type SmsCodeRow,
} from '../db/queries/phones'
import { findUserById } from '../db/queries/users'
import type { Store } from '../db/store'
import { AttemptLimiter } from './attempts'
import type { AuditLog } from './audit'
import type { AuthService } from './auth'
import type { ClientInfo } from './client'
import { maskPhone, parseE164 } from './phone'
import { codeSms, recipientLanguage, type Language } from './messages'
import type { PolicyService } from './policy'
import type { SmsService } from './sms-service'
import type { NoticeService } from './notices'
import type { TwoFactorService } from './two-factor'

/** An SMS code works for 10 minutes, once, for at most 3 tries; at most 3 codes per user per hour. */
export const SMS_CODE_TTL_MS = 10 * 60_000
export const SMS_CODE_MAX_TRIES = 3
export const SMS_CODES_PER_HOUR = 3
const HOUR_MS = 60 * 60_000

export interface PhoneDeps {
  db: Store
  clock: Clock
  audit: AuditLog
  policy: PolicyService
  auth: AuthService
  twoFactor: TwoFactorService
  sms: SmsService
  notices: NoticeService
}

export interface PhoneStartRequest {
  number: string
  numberConfirm: string
  notAuthenticatorPhone: true
  password: string
  /** The current app code: needed to change a verified phone. */
  code?: string | undefined
}

/** `salt:sha256(salt‖code)` in hex. A 6-digit code is protected by the tries limit, not the hash. */
export function hashSmsCode(code: string): string {
  const salt = randomBytes(16)
  return `${salt.toString('hex')}:${createHash('sha256').update(salt).update(code).digest('hex')}`
}

export function smsCodeMatches(stored: string, typed: string): boolean {
  const [saltHex, hashHex] = stored.split(':')
  if (!saltHex || !hashHex) return false
  const expected = Buffer.from(hashHex, 'hex')
  const actual = createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(typed.trim()).digest()
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

const newCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0')

const WRONG = (left: number): string =>
  left > 0
    ? `The code is not correct. ${left} ${left === 1 ? 'try' : 'tries'} left for this code.`
    : 'The code is not correct, and this code may not be tried again. Ask for a new code.'
const SPENT = 'This code expired, was already used, or was tried too many times. Ask for a new code.'

type CodeCheck = { ok: true } | { ok: false; reason: string; error: AppError }

/**
 * The emergency phone (entered twice, verified with an SMS code) and the "I lost my device" login by SMS.
 * Codes and full numbers never reach the audit trail: numbers are masked, codes left out.
 */
export class PhoneService {
  private readonly limiter: AttemptLimiter

  constructor(private readonly d: PhoneDeps) {
    this.limiter = new AttemptLimiter(d)
  }

  async status(userId: number): Promise<PhoneStatusDto | null> {
    const phone = await getPhone(this.d.db, userId)
    const pending = await getPhonePending(this.d.db, userId)
    const livePending = pending && pending.expires_at > this.d.clock.now() ? pending : undefined
    if (!phone && !livePending) return null
    return {
      masked: phone ? maskPhone(phone.e164) : null,
      verified: phone !== undefined,
      verifiedAt: phone?.verified_at ?? null,
      pendingMasked: livePending ? maskPhone(livePending.e164) : null,
    }
  }

  async hasVerifiedPhone(userId: number): Promise<boolean> {
    return (await getPhone(this.d.db, userId)) !== undefined
  }

  /** Re-checks the password, then `begin`. */
  async start(userId: number, input: PhoneStartRequest, client: ClientInfo): Promise<SmsCodeSentDto> {
    const e164 = await this.bothNumbers(input)
    await this.d.auth.confirmPassword(userId, input.password, client, 'reauth')
    return this.begin(userId, { e164, code: input.code }, client)
  }

  /** The two numbers, parsed; they must be the same number. */
  async bothNumbers(input: {
    number: string
    numberConfirm: string
    notAuthenticatorPhone: boolean
  }): Promise<string> {
    if (input.notAuthenticatorPhone !== true) {
      throw new AppError(
        'VALIDATION',
        'Confirm that this is not the phone with your authenticator app: losing that phone would lose both.',
        { fields: { notAuthenticatorPhone: 'Confirm this' } },
      )
    }
    const first = await parseE164(input.number, 'number')
    const second = await parseE164(input.numberConfirm, 'numberConfirm')
    if (first !== second) {
      throw new AppError(
        'VALIDATION',
        'The two phone numbers are not the same. Enter the same number twice.',
        {
          fields: { numberConfirm: 'Enter the same number as above' },
        },
      )
    }
    return first
  }

  /**
   * Sends a verification code to `e164` (the caller has re-checked the password). Changing a verified
   * phone also needs a current app code.
   */
  async begin(
    userId: number,
    input: { e164: string; code?: string | undefined },
    client: ClientInfo,
  ): Promise<SmsCodeSentDto> {
    const { db, clock, audit } = this.d
    const current = await getPhone(db, userId)
    if (current) {
      if (current.e164 === input.e164) {
        throw new AppError('CONFLICT', 'This number is already your verified emergency phone.')
      }
      if (!input.code) {
        throw new AppError(
          'SECOND_FACTOR_REQUIRED',
          'Changing the emergency phone needs the current code from your authenticator app.',
        )
      }
      await this.d.twoFactor.verify(userId, { code: input.code }, client, 'change_phone')
    }
    await this.d.sms.assertWithinCaps({ to: input.e164, kind: 'phone_verification', userId })
    const code = newCode()
    const { messageId, expiresAt } = await db.transaction(async () => {
      const now = clock.now()
      await this.assertHourlyLimit(userId, now)
      const expiresAt = now + SMS_CODE_TTL_MS
      const codeId = await insertSmsCode(db, {
        userId,
        purpose: 'phone_verify',
        codeHash: hashSmsCode(code),
        now,
        expiresAt,
      })
      await putPhonePending(db, { userId, e164: input.e164, codeId, expiresAt, now })
      const messageId = await this.d.sms.enqueue({
        to: input.e164,
        ...codeSms(await this.languageOf(userId), 'phoneVerifySms', code),
        kind: 'phone_verification',
        userId,
      })
      await audit.append({
        type: 'phone.verification_sent',
        actorId: userId,
        subjectId: userId,
        data: { ...client, phone: maskPhone(input.e164), change: current !== undefined },
      })
      return { messageId, expiresAt }
    })
    return { masked: maskPhone(input.e164), expiresAt, delivery: await this.sendNow(messageId) }
  }

  /** The code sent to the pending number: it becomes the verified emergency phone. */
  async verify(userId: number, code: string, client: ClientInfo): Promise<PhoneStatusDto> {
    const { db, clock, audit } = this.d
    const pending = await getPhonePending(db, userId)
    if (!pending) {
      throw new AppError('NOT_FOUND', 'No phone number is waiting for a code. Enter the number again.')
    }
    const row = await getSmsCode(db, pending.code_id)
    const check = this.check(row, code)
    const masked = maskPhone(pending.e164)
    if (!check.ok) {
      if (row && check.reason === 'wrong_code') await db.transaction(() => addSmsCodeTry(db, row.id))
      await audit.append({
        type: 'phone.code_refused',
        actorId: userId,
        subjectId: userId,
        data: { ...client, phone: masked, reason: check.reason },
      })
      throw check.error
    }
    await db.transaction(async () => {
      const now = clock.now()
      if (!(await useSmsCode(db, row!.id, now))) throw new AppError('INVALID_CODE', SPENT)
      const old = await getPhone(db, userId)
      await putPhone(db, userId, pending.e164, now)
      await deletePhonePending(db, userId)
      await audit.append({
        type: 'phone.verified',
        actorId: userId,
        subjectId: userId,
        data: { ...client, phone: masked, replaced: old ? maskPhone(old.e164) : null },
      })
      if (old?.e164 === pending.e164) return
      // A change is told to the old number too: whoever lost it to someone else should hear of it.
      await this.d.notices.tell(
        userId,
        old
          ? { kind: 'phone_changed', phone: masked, old: maskPhone(old.e164) }
          : { kind: 'phone_added', phone: masked },
        old ? { smsTo: old.e164 } : {},
      )
    })
    return (await this.status(userId))!
  }

  /**
   * Tries a just-queued code at once and says where it stands, so the person is told the truth: sent,
   * still queued, failed, or kept in the local outbox (no SMS provider is set up).
   */
  /** The language of the person's messages: theirs, else the account's. */
  private async languageOf(userId: number): Promise<Language> {
    return recipientLanguage(this.d.policy, await findUserById(this.d.db, userId))
  }

  private async sendNow(messageId: number): Promise<SmsDelivery> {
    await this.d.sms.tryNow(messageId)
    return smsDeliveryOf(await this.d.sms.entry(messageId))
  }

  /** "I lost my device": a login code to the verified phone. The password was checked (stage second-factor). */
  async sendLoginCode(userId: number, client: ClientInfo): Promise<SmsCodeSentDto> {
    const { db, clock, audit } = this.d
    const phone = await getPhone(db, userId)
    if (!phone) {
      throw new AppError(
        'NOT_FOUND',
        'This account has no verified emergency phone. Use a backup code, or ask support for help.',
      )
    }
    await this.d.sms.assertWithinCaps({ to: phone.e164, kind: 'login_code', userId })
    const code = newCode()
    const { messageId, expiresAt } = await db.transaction(async () => {
      const now = clock.now()
      await this.assertHourlyLimit(userId, now)
      const expiresAt = now + SMS_CODE_TTL_MS
      await insertSmsCode(db, { userId, purpose: 'login', codeHash: hashSmsCode(code), now, expiresAt })
      const messageId = await this.d.sms.enqueue({
        to: phone.e164,
        ...codeSms(await this.languageOf(userId), 'loginCodeSms', code),
        kind: 'login_code',
        userId,
      })
      await audit.append({
        type: 'login.sms_code_sent',
        actorId: userId,
        subjectId: userId,
        data: { ...client, phone: maskPhone(phone.e164) },
      })
      return { messageId, expiresAt }
    })
    return { masked: maskPhone(phone.e164), expiresAt, delivery: await this.sendNow(messageId) }
  }

  /**
   * The login code: the old authenticator and backup codes are revoked, and the person must enroll a new
   * authenticator before anything else. Failures count with the second factor's limits.
   */
  async verifyLoginCode(userId: number, code: string, client: ClientInfo): Promise<void> {
    const { db, clock, audit } = this.d
    // Nothing here is slow (the code's hash is SHA-256), so the code is read and checked in the attempt's
    // one write transaction, against its tries and use as committed.
    await this.limiter.attempt(
      { userId, factor: 'second_factor' },
      'login.sms_code_refused',
      client,
      { method: 'sms' },
      {
        check: async () => undefined,
        settle: async (attempt) => {
          const row = await latestSmsCode(db, userId, 'login')
          const check = this.check(row, code)
          if (!check.ok) {
            if (row && check.reason === 'wrong_code') await addSmsCodeTry(db, row.id)
            return attempt.fail({ reason: check.reason }, check.error)
          }
          if (!(await useSmsCode(db, row!.id, clock.now()))) {
            return attempt.fail({ reason: 'used' }, new AppError('INVALID_CODE', SPENT))
          }
          await attempt.succeed()
          await audit.append({
            type: 'login.sms_recovery',
            actorId: userId,
            subjectId: userId,
            data: { ...client, phone: maskPhone((await getPhone(db, userId))?.e164 ?? '') },
          })
          await this.d.twoFactor.remove(userId, userId, client, '2fa.revoked_after_sms_recovery', {
            revoked: true,
            notice: 'email-only',
          })
        },
      },
    )
  }

  private check(row: SmsCodeRow | undefined, typed: string): CodeCheck {
    const now = this.d.clock.now()
    if (!row) {
      return {
        ok: false,
        reason: 'no_code',
        error: new AppError('INVALID_CODE', 'No code was sent. Ask for a code first.'),
      }
    }
    if (row.used_at !== null) {
      return { ok: false, reason: 'used', error: new AppError('INVALID_CODE', SPENT) }
    }
    if (row.expires_at <= now) {
      return { ok: false, reason: 'expired', error: new AppError('INVALID_CODE', SPENT) }
    }
    if (row.tries >= SMS_CODE_MAX_TRIES) {
      return { ok: false, reason: 'too_many_tries', error: new AppError('INVALID_CODE', SPENT) }
    }
    if (!smsCodeMatches(row.code_hash, typed)) {
      return {
        ok: false,
        reason: 'wrong_code',
        error: new AppError('INVALID_CODE', WRONG(SMS_CODE_MAX_TRIES - row.tries - 1)),
      }
    }
    return { ok: true }
  }

  private async assertHourlyLimit(userId: number, now: number): Promise<void> {
    const recent = await smsCodeTimesSince(this.d.db, userId, now - HOUR_MS)
    if (recent.length < SMS_CODES_PER_HOUR) return
    const retryAfterSeconds = Math.max(1, Math.ceil((recent[0]! + HOUR_MS - now) / 1000))
    const minutes = Math.ceil(retryAfterSeconds / 60)
    throw new AppError(
      'THROTTLED',
      `At most ${SMS_CODES_PER_HOUR} SMS codes are sent per hour. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { retryAfterSeconds },
    )
  }
}

export type { SmsCodePurpose }
