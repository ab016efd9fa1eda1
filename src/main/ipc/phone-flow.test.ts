import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from '../../../test/fixtures/fake-twilio'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { connectPhones, type Phones } from '../../../test/fixtures/phones'
import { sqlAll, sqlValue } from '../../../test/fixtures/sql'
import { listSms } from '../db/queries/sms'
import type { BackupCodesDto, EnrollmentStartDto, SmsCodeSentDto } from '../../shared/dto'
import type { Result } from '../../shared/result'
import { fromBase32, totpAt } from '../core/totp'

type Harness = Awaited<ReturnType<typeof startBackend>>
const codeOf = (r: Result<unknown>) => (r.ok ? 'OK' : r.error.code)
const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}

const NUMBER = '+34612345123'
const MASKED = '+34 ••• ••• 123'
const OTHER = '+34612345456'
const MINUTE = 60_000

describe('the emergency phone and the SMS login, through the gate', () => {
  let h: Harness
  let secret: Uint8Array | undefined
  const appCode = () => totpAt({ secret: secret!, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now())
  const db = () => h.backend.services().db
  /** The newest message in the local outbox. */
  /** The newest message in the outbox, as Tessera reads it (number and body opened on a team database). */
  const lastSms = async () => (await listSms(db(), undefined, 1))[0]!
  let phones: Phones
  /** The code, read on the phone it was sent to (the outbox keeps none once the message left). */
  const lastCode = () => phones.lastCode()
  const start = (number = NUMBER, extra: object = {}) =>
    h.call('phone.start', {
      number,
      numberConfirm: number,
      notAuthenticatorPhone: true,
      password: OWNER.password,
      ...extra,
    })
  const enroll = async () => {
    const s = value<EnrollmentStartDto>(
      await h.call('twoFactor.startEnrollment', { password: OWNER.password }),
    )
    secret = fromBase32(s.manualKey)
    const codes = value<BackupCodesDto>(
      await h.call('twoFactor.confirmEnrollment', { code: await appCode() }),
    )
    h.clock.advance(30_000)
    return codes.backupCodes
  }
  const registerPhone = async (number = NUMBER, extra: object = {}) => {
    value(await start(number, extra))
    return value(await h.call('phone.verify', { code: lastCode() }))
  }
  const auditText = async () =>
    (await sqlAll<{ type: string; data: string }>(db(), 'SELECT type, data FROM audit_events ORDER BY seq'))
      .map((e) => `${e.type} ${e.data}`)
      .join('\n')

  beforeEach(async () => {
    h = await startBackend()
    await h.setup()
    secret = undefined
    phones = await connectPhones(h.backend)
    value(await h.call('policy.update', { idleLockMinutes: 60 }))
  })
  afterEach(async () => {
    await h.cleanup()
    await phones.close()
  })

  it('verifies a number entered twice with a code sent by SMS', async () => {
    expect(value(await h.call('phone.status'))).toBeNull()
    const sent = value<SmsCodeSentDto>(await start('+34 612 34 51 23'))
    expect(sent).toEqual({ masked: MASKED, expiresAt: h.clock.now() + 10 * MINUTE, delivery: 'sent' })
    const sms = await lastSms()
    expect(sms).toMatchObject({ to_e164: NUMBER, kind: 'phone_verification' })
    expect(sms.display_text).toContain('••••••')
    expect(sms.display_text).not.toMatch(/\d{6}/)
    expect(value(await h.call('phone.status'))).toMatchObject({ verified: false, pendingMasked: MASKED })
    const code = lastCode()
    expect(value(await h.call('phone.verify', { code }))).toEqual({
      masked: MASKED,
      verified: true,
      verifiedAt: h.clock.now(),
      pendingMasked: null,
    })
    // One use: nothing waits any more.
    expect(codeOf(await h.call('phone.verify', { code }))).toBe('NOT_FOUND')
    const audit = await auditText()
    expect(audit).toContain('phone.verified')
    expect(audit).not.toContain(code)
    expect(audit).not.toContain('612345123')
  })

  it('refuses two different numbers, an invalid number, and a missing confirmation', async () => {
    expect(
      await h.call('phone.start', {
        number: NUMBER,
        numberConfirm: OTHER,
        notAuthenticatorPhone: true,
        password: OWNER.password,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/not the same/) },
    })
    expect(await start('+34 12')).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/^The phone number is not valid/) },
    })
    expect(
      codeOf(
        await h.call('phone.start', {
          number: NUMBER,
          numberConfirm: NUMBER,
          notAuthenticatorPhone: false,
          password: OWNER.password,
        }),
      ),
    ).toBe('VALIDATION')
    expect(codeOf(await start(NUMBER, { password: 'not the password at all' }))).toBe('INVALID_CREDENTIALS')
    expect(await sqlValue(db(), 'SELECT count(*) FROM sms_outbox')).toBe(0)
  })

  it('lets a code expire after 10 minutes', async () => {
    value(await start())
    const code = lastCode()
    h.clock.advance(10 * MINUTE)
    expect(await h.call('phone.verify', { code })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CODE', message: expect.stringMatching(/expired/) },
    })
  })

  it('allows 3 tries per code', async () => {
    value(await start())
    const code = lastCode()
    const wrong = code === '000000' ? '111111' : '000000'
    expect(await h.call('phone.verify', { code: wrong })).toMatchObject({
      error: { code: 'INVALID_CODE', message: expect.stringMatching(/2 tries left/) },
    })
    expect(codeOf(await h.call('phone.verify', { code: wrong }))).toBe('INVALID_CODE')
    expect(codeOf(await h.call('phone.verify', { code: wrong }))).toBe('INVALID_CODE')
    expect(await h.call('phone.verify', { code })).toMatchObject({
      error: { code: 'INVALID_CODE', message: expect.stringMatching(/too many times/) },
    })
    // A new code works.
    value(await start())
    expect(codeOf(await h.call('phone.verify', { code: lastCode() }))).toBe('OK')
  })

  it('sends at most 3 codes per hour', async () => {
    for (let i = 0; i < 3; i++) {
      value(await start())
      h.clock.advance(MINUTE)
    }
    expect(await start()).toMatchObject({
      ok: false,
      error: {
        code: 'THROTTLED',
        message: expect.stringMatching(/At most 3 SMS codes/),
        retryAfterSeconds: 57 * 60,
      },
    })
    h.clock.advance(57 * MINUTE)
    expect(codeOf(await start())).toBe('OK')
  })

  it('needs an app code to change a verified number, and tells the old number', async () => {
    await enroll()
    await registerPhone()
    expect(codeOf(await start(OTHER))).toBe('SECOND_FACTOR_REQUIRED')
    expect(codeOf(await start(OTHER, { code: '000000' === (await appCode()) ? '111111' : '000000' }))).toBe(
      'INVALID_CODE',
    )
    value(await start(OTHER, { code: await appCode() }))
    expect((await lastSms()).to_e164).toBe(OTHER)
    // Until verified, the old number stays.
    expect(value(await h.call('phone.status'))).toMatchObject({
      masked: MASKED,
      pendingMasked: '+34 ••• ••• 456',
    })
    value(await h.call('phone.verify', { code: lastCode() }))
    const notice = await lastSms()
    expect(notice).toMatchObject({ to_e164: NUMBER, kind: 'phone_changed' })
    expect(notice.body).toMatch(/Your Tessera emergency phone was changed to \+34 ••• ••• 456/)
    expect(value(await h.call('phone.status'))).toMatchObject({ masked: '+34 ••• ••• 456', verified: true })
    expect(await auditText()).not.toMatch(/612345(123|456)/)
  })

  it('"I lost my device": an SMS code after the password revokes the old authenticator and forces enrollment', async () => {
    const oldBackupCodes = await enroll()
    await registerPhone()
    value(await h.call('auth.logout'))
    // Before the password nothing is sent.
    expect(codeOf(await h.call('auth.sendSmsCode'))).toBe('UNAUTHENTICATED')
    value(await h.call('auth.login', OWNER))
    expect(value(await h.call('auth.sendSmsCode'))).toEqual({
      masked: MASKED,
      expiresAt: h.clock.now() + 10 * MINUTE,
      delivery: 'sent',
    })
    expect(await lastSms()).toMatchObject({ to_e164: NUMBER, kind: 'login_code' })
    const code = lastCode()
    const wrong = code === '000000' ? '111111' : '000000'
    expect(codeOf(await h.call('auth.verifySmsCode', { code: wrong }))).toBe('INVALID_CODE')
    // The wrong code counts with the second factor's failures.
    expect(
      await sqlValue(db(), "SELECT consecutive_failures FROM login_throttle WHERE factor = 'second_factor'"),
    ).toBe(1)
    expect(value(await h.call('auth.verifySmsCode', { code }))).toMatchObject({
      user: { email: OWNER.email },
      next: 'enroll',
    })
    expect(await h.call('session.state')).toMatchObject({ value: { phase: 'enroll-required' } })
    expect(codeOf(await h.call('audit.verify'))).toBe('ENROLLMENT_REQUIRED')
    expect(value(await h.call('twoFactor.status'))).toMatchObject({ enrolled: false, backupCodesTotal: 0 })
    // The old backup codes no longer exist; the same SMS code does not work twice.
    await expect(h.backend.services().phones.verifyLoginCode(1, code, h.backend.client)).rejects.toThrow(
      /already used/,
    )
    // Enrolling a new authenticator issues new backup codes and completes the login.
    const newCodes = await enroll()
    expect(newCodes).toHaveLength(5)
    expect(newCodes.some((c) => oldBackupCodes.includes(c))).toBe(false)
    expect(await h.call('session.state')).toMatchObject({ value: { phase: 'signed-in' } })
    const audit = await auditText()
    expect(audit).toContain('login.sms_recovery')
    expect(audit).toContain('2fa.revoked_after_sms_recovery')
    expect(audit).not.toContain(code)
    expect(audit).not.toContain('612345123')
    expect(value(await h.call('audit.verify'))).toMatchObject({ ok: true })
  })

  it('refuses an SMS login without a verified phone, and after 3 codes in an hour', async () => {
    await enroll()
    value(await h.call('auth.logout'))
    value(await h.call('auth.login', OWNER))
    expect(await h.call('auth.sendSmsCode')).toMatchObject({
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/no verified emergency phone/) },
    })
    value(await h.call('auth.verifySecondFactor', { code: await appCode() }))
    await registerPhone() // one code this hour
    value(await h.call('auth.logout'))
    value(await h.call('auth.login', OWNER))
    value(await h.call('auth.sendSmsCode'))
    value(await h.call('auth.sendSmsCode'))
    expect(await h.call('auth.sendSmsCode')).toMatchObject({
      error: { code: 'THROTTLED', message: expect.stringMatching(/At most 3 SMS codes/) },
    })
    // Only the newest code counts; an expired one is refused.
    const code = lastCode()
    h.clock.advance(10 * MINUTE)
    value(await h.call('auth.login', OWNER))
    expect(await h.call('auth.verifySmsCode', { code })).toMatchObject({
      error: { code: 'INVALID_CODE', message: expect.stringMatching(/expired/) },
    })
  })
})

describe('the codes through the real Twilio client', () => {
  let h: Harness
  let fake: FakeTwilio
  beforeEach(async () => {
    h = await startBackend({ twilioTimeoutMs: 2_000 })
    await h.setup()
    fake = await startFakeTwilio()
  })
  afterEach(async () => {
    await fake.close()
    await h.cleanup()
  })

  it('delivers the phone-verification code and the login code to the fake Twilio', async () => {
    const services = h.backend.services()
    await services.sms.configure(
      {
        provider: 'twilio',
        accountSid: fake.accountSid,
        authToken: fake.authToken,
        from: '+15005550006',
        apiBaseUrl: fake.baseUrl,
      },
      1,
    )
    const s = value<EnrollmentStartDto>(
      await h.call('twoFactor.startEnrollment', { password: OWNER.password }),
    )
    const secret = fromBase32(s.manualKey)
    const code = () => totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now())
    value(await h.call('twoFactor.confirmEnrollment', { code: await code() }))

    value(
      await h.call('phone.start', {
        number: NUMBER,
        numberConfirm: NUMBER,
        notAuthenticatorPhone: true,
        password: OWNER.password,
      }),
    )
    expect(fake.messages).toHaveLength(1)
    expect(fake.messages[0]).toMatchObject({ to: NUMBER, from: '+15005550006' })
    const verifyCode = /\b(\d{6})\b/.exec(fake.messages[0]!.body)![1]!
    value(await h.call('phone.verify', { code: verifyCode }))

    value(await h.call('auth.logout'))
    value(await h.call('auth.login', OWNER))
    expect(value<SmsCodeSentDto>(await h.call('auth.sendSmsCode')).delivery).toBe('sent')
    expect(fake.messages).toHaveLength(2)
    expect(fake.messages[1]!.body).toMatch(/login code/)
    const loginCode = /\b(\d{6})\b/.exec(fake.messages[1]!.body)![1]!
    value(await h.call('auth.verifySmsCode', { code: loginCode }))
    expect(await h.call('session.state')).toMatchObject({ value: { phase: 'enroll-required' } })
    const sent = await sqlAll(services.db, 'SELECT kind, status, provider FROM sms_outbox ORDER BY id')
    expect(sent).toEqual([
      { kind: 'phone_verification', status: 'sent', provider: 'twilio' },
      { kind: 'login_code', status: 'sent', provider: 'twilio' },
    ])
    // The person is told by email that their old authenticator no longer works; not on the phone they used.
    expect(
      await sqlAll(services.db, "SELECT kind FROM email_outbox WHERE kind = '2fa_disabled'"),
    ).toHaveLength(1)
  })
})

describe('what a person is told about their SMS code, by provider', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startBackend()
    await h.setup()
  })
  afterEach(() => h.cleanup())

  const startPhone = async () => {
    const s = value<EnrollmentStartDto>(
      await h.call('twoFactor.startEnrollment', { password: OWNER.password }),
    )
    const secret = fromBase32(s.manualKey)
    value(
      await h.call('twoFactor.confirmEnrollment', {
        code: await totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now()),
      }),
    )
    return value<SmsCodeSentDto>(
      await h.call('phone.start', {
        number: NUMBER,
        numberConfirm: NUMBER,
        notAuthenticatorPhone: true,
        password: OWNER.password,
      }),
    )
  }

  it('says the code was kept in the local outbox when no provider is set up, never "sent"', async () => {
    expect((await startPhone()).delivery).toBe('kept-locally')
    // The outbox row says "sent" (to the outbox): the person's answer is what matters.
    expect(await sqlAll(h.backend.services().db, 'SELECT status, provider FROM sms_outbox')).toEqual([
      { status: 'sent', provider: 'outbox' },
    ])
  })

  it('says queued while Twilio does not answer, and not delivered once it refuses the number', async () => {
    const fake = await startFakeTwilio()
    try {
      await h.backend.services().sms.configure(
        {
          provider: 'twilio',
          accountSid: fake.accountSid,
          authToken: fake.authToken,
          from: '+15005550006',
          apiBaseUrl: fake.baseUrl,
        },
        1,
      )
      fake.failNext('server-error')
      expect((await startPhone()).delivery).toBe('queued')
      fake.failNext('invalid-number')
      const again = value<SmsCodeSentDto>(
        await h.call('phone.start', {
          number: OTHER,
          numberConfirm: OTHER,
          notAuthenticatorPhone: true,
          password: OWNER.password,
        }),
      )
      expect(again.delivery).toBe('not-delivered')
    } finally {
      await fake.close()
    }
  })
})
