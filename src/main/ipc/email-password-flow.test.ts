import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeSmtp, type FakeSmtp } from '../../../test/fixtures/fake-smtp'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { codeOf, value } from '../../../test/fixtures/results'
import { sqlAll } from '../../../test/fixtures/sql'
import { connectPhones } from '../../../test/fixtures/phones'
import type {
  BackupCodesDto,
  EmailConfigDto,
  EmailOutboxEntryDto,
  EnrollmentStartDto,
  InvitationDto,
  PasswordAdminResetDto,
  PasswordForgotDto,
  SessionState,
} from '../../shared/dto'
import { fromBase32, totpAt } from '../core/totp'

type Harness = Awaited<ReturnType<typeof startBackend>>
const MINUTE = 60_000
const SMTP_PASSWORD = 'smtp-secret-Zq81-password'
/** An invitation or reset code as it appears in a message: 26 symbols in groups of five. */
const CODE = /\b[2-9A-HJ-NP-Z]{5}(?:-[2-9A-HJ-NP-Z]{1,5}){5}\b/

const MIA = { email: 'mia@example.com', name: 'Mia Member', role: 'member' as const }
const MIA_PASSWORD = 'quiet-orchard-ladder-93'
const ADA = { email: 'ada@example.com', name: 'Ada Admin', role: 'admin' as const }
const ADA_PASSWORD = 'copper-meadow-violin-27'

describe('email and passwords, through the gate', () => {
  let h: Harness
  let smtp: FakeSmtp
  const services = () => h.backend.services()
  const mailTo = (to: string) => smtp.messages.filter((m) => m.to.includes(to))
  const codeIn = (text: string | null) => CODE.exec(text ?? '')?.[0] ?? null
  const configure = (extra: object = {}) =>
    h.call('email.configure', {
      provider: 'smtp',
      host: '127.0.0.1',
      port: smtp.port,
      tls: 'none',
      user: 'tessera',
      password: SMTP_PASSWORD,
      from: 'Example IT <it@example.com>',
      accountName: 'Example Ltd',
      ...extra,
    })
  const trail = async () => JSON.stringify(await sqlAll(services().db, 'SELECT * FROM audit_events'))
  /** The `email` setting as stored (the password is kept apart: keychain, or its own sealed setting). */
  const emailSetting = async () =>
    JSON.stringify(await sqlAll(services().db, "SELECT value FROM settings WHERE key = 'email'"))
  const resetMails = (to: string) => mailTo(to).filter((m) => m.subject.startsWith('Reset your password'))
  /** A person invited by email, activated with the code from the message (2FA not required). */
  const person = async (who: typeof MIA | typeof ADA, password: string, client: string) => {
    const inv = value<InvitationDto>(await h.call('users.create', { ...who, requireTwoFactor: false }))
    expect(inv).toMatchObject({ code: null, emailedTo: who.email })
    const code = codeIn(mailTo(who.email).at(-1)!.text)!
    value(await h.call('auth.activate', { email: who.email, code, password }, client))
    return inv.userId
  }
  let secret: Uint8Array | undefined
  const appCode = () => totpAt({ secret: secret!, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now())
  const enrollOwner = async () => {
    const s = value<EnrollmentStartDto>(
      await h.call('twoFactor.startEnrollment', { password: OWNER.password }),
    )
    secret = fromBase32(s.manualKey)
    value<BackupCodesDto>(await h.call('twoFactor.confirmEnrollment', { code: await appCode() }))
    h.clock.advance(30_000)
  }

  beforeEach(async () => {
    smtp = await startFakeSmtp({ tls: 'none', auth: { user: 'tessera', pass: SMTP_PASSWORD } })
    h = await startBackend({ smsWorkerIntervalMs: 0 })
    await h.setup()
  })
  afterEach(async () => {
    await h.cleanup()
    await smtp.close()
  })

  it('keeps the SMTP password out of the settings and the trail, and allows plain SMTP to this machine only', async () => {
    const config = value<EmailConfigDto>(await configure())
    expect(config).toMatchObject({ provider: 'smtp', host: '127.0.0.1', tls: 'none', passwordSet: true })
    expect(JSON.stringify(config)).not.toContain(SMTP_PASSWORD)
    expect(await emailSetting()).not.toContain(SMTP_PASSWORD)
    expect(await trail()).not.toContain(SMTP_PASSWORD)
    const refused = await configure({ host: 'smtp.example.com', password: SMTP_PASSWORD })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringMatching(/only to this machine/) },
    })
    // The stored password never follows the settings to another server unless it is typed again.
    const moved = await h.call('email.configure', { provider: 'smtp', host: 'localhost' })
    expect(moved).toMatchObject({ ok: false, error: { fields: { password: expect.any(String) } } })
    const sent = value<EmailOutboxEntryDto>(await h.call('email.sendTest', { to: 'owner@example.com' }))
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, provider: 'smtp' })
    const [test] = mailTo('owner@example.com').filter((m) => m.subject.startsWith('Test message'))
    expect(test!.subject).toBe('Test message — Example Ltd')
    expect(test!.user).toBe('tessera')
    // Every owner heard that a setting protecting them changed.
    expect(mailTo(OWNER.email).map((m) => m.subject)).toContain(
      'A setting that protects your account changed — Example Ltd',
    )
  })

  it('retries 4xx answers with backoff, fails at once on 5xx with the reply, and never sends a message twice', async () => {
    value(await configure())
    smtp.script({ at: 'rcpt', code: 451, message: '4.3.0 Mailbox busy, try later' })
    const waiting = value<EmailOutboxEntryDto>(await h.call('email.sendTest', { to: 'a@example.com' }))
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringMatching(/451/) })
    expect(waiting.nextAttemptAt).toBe(h.clock.now() + 5_000)
    // Not due yet: nothing happens.
    expect(await services().email.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 })
    h.clock.advance(5_000)
    expect(await services().email.deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 })
    expect(mailTo('a@example.com')).toHaveLength(1)
    // Sent is final: another round sends nothing again.
    h.clock.advance(60 * MINUTE)
    expect(await services().email.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 })
    expect(mailTo('a@example.com')).toHaveLength(1)

    smtp.script({ at: 'rcpt', code: 550, message: '5.1.1 No such user here' })
    // An hour on, the console has locked: the rest goes straight to the service.
    const failed = await services().email.sendTest('b@example.com', null)
    expect(failed).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/550 5\.1\.1 No such user/),
    })
    h.clock.advance(60 * MINUTE)
    expect(await services().email.deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 })
    expect(mailTo('b@example.com')).toHaveLength(0)
    expect(await trail()).toMatch(/email\.failed.*550/)

    // The server goes away: a connection error waits for a retry too.
    await smtp.close()
    const refused = await services().email.sendTest('c@example.com', null)
    expect(refused).toMatchObject({ status: 'queued', lastError: expect.stringMatching(/cannot be reached/) })
  })

  it('invites by email: the code reaches the person only, and the outbox keeps no code once it left', async () => {
    value(await configure())
    const inv = value<InvitationDto>(await h.call('users.create', MIA))
    expect(inv).toMatchObject({ code: null, emailedTo: MIA.email })
    const [mail] = mailTo(MIA.email)
    expect(mail!.subject).toBe('Your invitation to Tessera — Example Ltd')
    expect(mail!.text).toMatch(/Olivia Owner invited you/)
    expect(mail!.html).toMatch(/<strong>[2-9A-Z-]+<\/strong>/)
    const code = codeIn(mail!.text)!
    const stored = await sqlAll<{ body_text: string; body_html: string | null; status: string }>(
      services().db,
      "SELECT body_text, body_html, status FROM email_outbox WHERE kind = 'invitation'",
    )
    expect(stored).toEqual([
      { body_text: expect.stringContaining('••••-••••'), body_html: null, status: 'sent' },
    ])
    expect(JSON.stringify(await sqlAll(services().db, 'SELECT * FROM email_outbox'))).not.toContain(code)
    expect(await trail()).not.toContain(code)
    value(await h.call('auth.activate', { email: MIA.email, code, password: MIA_PASSWORD }, 'office-pc'))
    expect(value<SessionState>(await h.call('session.state', {}, 'office-pc')).phase).toBe('enroll-required')
  })

  it('forgot password: the same answer for every address, a code by email that works once, and 2FA still asked', async () => {
    value(await configure())
    await enrollOwner()
    const known = value<PasswordForgotDto>(await h.call('password.forgot', { email: OWNER.email }, 'pc-2'))
    const unknown = value<PasswordForgotDto>(
      await h.call('password.forgot', { email: 'nobody@example.com' }, 'pc-2'),
    )
    expect(unknown.message.replace('nobody@example.com', OWNER.email)).toBe(known.message)
    expect(known.emailDelivered).toBe(true)
    // The message leaves after the answer: wait for it.
    await expect.poll(() => resetMails(OWNER.email).length).toBe(1)
    expect(mailTo('nobody@example.com')).toHaveLength(0)
    const code = codeIn(resetMails(OWNER.email)[0]!.text)!
    expect(
      (await sqlAll<{ code_hash: string }>(services().db, 'SELECT code_hash FROM password_resets'))[0]!
        .code_hash,
    ).toMatch(/^[0-9a-f]{64}$/)
    const NEW = 'a-new-lantern-password-58'
    const reset = (c: string, pw = NEW) =>
      h.call(
        'password.resetWithCode',
        { email: OWNER.email, code: c, newPassword: pw, confirmPassword: pw },
        'pc-2',
      )
    expect(codeOf(await reset('AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A'))).toBe('INVALID_CODE')
    expect(
      codeOf(
        await h.call(
          'password.resetWithCode',
          { email: OWNER.email, code, newPassword: NEW, confirmPassword: 'something else' },
          'pc-2',
        ),
      ),
    ).toBe('VALIDATION')
    expect(value(await reset(code))).toEqual({ email: OWNER.email, secondFactorRequired: true })
    expect(codeOf(await reset(code, 'yet-another-lantern-99'))).toBe('INVALID_CODE')
    // The owner's own window was signed in before: that session ends.
    expect(value<SessionState>(await h.call('session.state')).phase).toBe('signed-out')
    expect(codeOf(await h.call('auth.login', { email: OWNER.email, password: OWNER.password }, 'pc-3'))).toBe(
      'INVALID_CREDENTIALS',
    )
    value(await h.call('auth.login', { email: OWNER.email, password: NEW }, 'pc-3'))
    expect(value<SessionState>(await h.call('session.state', {}, 'pc-3')).phase).toBe('second-factor')
    expect(mailTo(OWNER.email).at(-1)!.subject).toBe('Your password was reset — Example Ltd')
    const t = await trail()
    expect(t).not.toContain(code)
    expect(t).not.toContain(NEW)
    expect(t).toMatch(/password\.reset_requested.*unknown_email/)
  })

  it('forgot password: at most 3 codes an hour, a code lasts 30 minutes, and no email provider means ask an admin', async () => {
    const outboxAnswer = value<PasswordForgotDto>(await h.call('password.forgot', { email: OWNER.email }))
    expect(outboxAnswer).toMatchObject({
      emailDelivered: false,
      message: expect.stringMatching(/administrator/),
    })
    value(await configure())
    for (let i = 0; i < 4; i++) value(await h.call('password.forgot', { email: OWNER.email }))
    await expect.poll(() => resetMails(OWNER.email).length).toBe(3)
    await new Promise((r) => setTimeout(r, 200))
    expect(resetMails(OWNER.email)).toHaveLength(3)
    expect(await trail()).toMatch(/hourly_limit/)
    // Only the newest code works, and only for 30 minutes.
    const latest = codeIn(resetMails(OWNER.email)[2]!.text)!
    const older = codeIn(resetMails(OWNER.email)[1]!.text)!
    const NEW = 'a-new-lantern-password-58'
    const reset = (c: string) =>
      h.call('password.resetWithCode', {
        email: OWNER.email,
        code: c,
        newPassword: NEW,
        confirmPassword: NEW,
      })
    expect(codeOf(await reset(older))).toBe('INVALID_CODE')
    h.clock.advance(31 * MINUTE)
    expect(codeOf(await reset(latest))).toBe('INVALID_CODE')
  })

  it('change password: current password and app code, then every other session ends and an email tells', async () => {
    value(await configure())
    await enrollOwner()
    value(await h.call('auth.login', { email: OWNER.email, password: OWNER.password }, 'laptop'))
    value(await h.call('auth.verifySecondFactor', { code: await appCode() }, 'laptop'))
    h.clock.advance(30_000)
    const NEW = 'a-changed-lantern-password-77'
    const change = (extra: object) =>
      h.call('password.change', {
        currentPassword: OWNER.password,
        newPassword: NEW,
        confirmPassword: NEW,
        ...extra,
      })
    expect(codeOf(await change({ currentPassword: 'wrong password here' }))).toBe('INVALID_CREDENTIALS')
    expect(await change({})).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { secondFactor: expect.any(String) } },
    })
    expect(codeOf(await change({ secondFactor: { code: '000000' } }))).toBe('INVALID_CODE')
    h.clock.advance(30_000)
    value(await change({ secondFactor: { code: await appCode() } }))
    h.clock.advance(1_000)
    expect(value<SessionState>(await h.call('session.state')).phase).toBe('signed-in')
    expect(value<SessionState>(await h.call('session.state', {}, 'laptop')).phase).toBe('signed-out')
    expect(mailTo(OWNER.email).at(-1)!.subject).toBe('Your password was changed — Example Ltd')
    expect(await trail()).toMatch(/session\.ended[^\n]*password_changed/)
  })

  it('tells people of security changes by email, SMS or both as the policy says, and never with a code', async () => {
    value(await configure())
    const phones = await connectPhones(h.backend)
    try {
      await enrollOwner()
      const number = '+34612345123'
      value(
        await h.call('phone.start', {
          number,
          numberConfirm: number,
          notAuthenticatorPhone: true,
          password: OWNER.password,
        }),
      )
      value(await h.call('phone.verify', { code: phones.lastCode() }))
      const sms = () => phones.fake.messages.map((m) => m.body)
      const subjects = () => mailTo(OWNER.email).map((m) => m.subject.replace(' — Example Ltd', ''))
      expect(subjects()).toEqual(
        expect.arrayContaining(['Two-factor authentication is on', 'Emergency phone added']),
      )
      const codes = value<BackupCodesDto>(
        await h.call('twoFactor.regenerateBackupCodes', { password: OWNER.password, code: await appCode() }),
      ).backupCodes
      h.clock.advance(30_000)
      expect(subjects()).toContain('New backup codes')
      // A backup code used: slot, codes left, by email and SMS (policy: both, the default).
      value(await h.call('auth.logout'))
      value(await h.call('auth.login', { email: OWNER.email, password: OWNER.password }))
      value(await h.call('auth.verifySecondFactor', { backupCode: codes[2] }))
      const used = mailTo(OWNER.email).at(-1)!
      expect(used.subject).toBe('A backup code was used — Example Ltd')
      expect(used.text).toMatch(/Backup code 3 of 5 was used/)
      expect(used.text).toMatch(/You have 4 backup codes left/)
      expect(sms().at(-1)).toMatch(/backup code 3 of 5 was used to sign in; 4 left/)
      // Email only: the SMS twin is left out.
      value(await h.call('policy.update', { noticesBy: 'email' }))
      const smsBefore = sms().length
      value(await h.call('auth.logout'))
      value(await h.call('auth.login', { email: OWNER.email, password: OWNER.password }))
      value(await h.call('auth.verifySecondFactor', { backupCode: codes[3] }))
      expect(mailTo(OWNER.email).at(-1)!.text).toMatch(/Backup code 4 of 5 was used/)
      expect(sms()).toHaveLength(smsBefore)
      // SMS only: no email.
      value(await h.call('policy.update', { noticesBy: 'sms' }))
      const mailBefore = mailTo(OWNER.email).length
      value(await h.call('auth.logout'))
      value(await h.call('auth.login', { email: OWNER.email, password: OWNER.password }))
      value(await h.call('auth.verifySecondFactor', { backupCode: codes[4] }))
      expect(mailTo(OWNER.email)).toHaveLength(mailBefore)
      expect(sms().at(-1)).toMatch(/backup code 5 of 5 was used to sign in; 2 left/)
      for (const c of codes) {
        expect(JSON.stringify(smtp.messages)).not.toContain(c)
        expect(JSON.stringify(phones.fake.messages)).not.toContain(c)
      }
    } finally {
      await phones.close()
    }
  })

  it('tells a person their account was locked after too many failed passwords', async () => {
    value(await configure())
    const miaId = await person(MIA, MIA_PASSWORD, 'mia-pc')
    expect(miaId).toBeGreaterThan(0)
    for (let i = 0; i < 10; i++) {
      await h.call('auth.login', { email: MIA.email, password: `wrong password ${i}` }, 'kiosk')
      h.clock.advance(60_000)
    }
    const locked = mailTo(MIA.email).at(-1)!
    expect(locked.subject).toBe('Your account is locked — Example Ltd')
    expect(locked.text).toMatch(/Too many failed sign-in attempts/)
    expect(locked.text).not.toMatch(/wrong password/)
  })

  it('admin reset: by email, or shown once without email; two approvers for an admin; never by a member', async () => {
    value(await configure())
    const miaId = await person(MIA, MIA_PASSWORD, 'mia-pc')
    const adaId = await person(ADA, ADA_PASSWORD, 'ada-pc')
    const emailed = value<PasswordAdminResetDto>(await h.call('password.adminReset', { userId: miaId }))
    expect(emailed).toMatchObject({ outcome: 'emailed', to: MIA.email })
    expect(mailTo(MIA.email).at(-1)!.text).toMatch(/Olivia Owner started a password reset/)
    // An admin's password is under the two-person rule: a recovery request about them.
    const pending = value<PasswordAdminResetDto>(await h.call('password.adminReset', { userId: adaId }))
    expect(pending).toMatchObject({ outcome: 'pending', requestId: expect.any(Number) })
    expect(codeOf(await h.call('password.adminReset', { userId: adaId }, 'mia-pc'))).toBe('FORBIDDEN')

    value(await h.call('email.configure', { provider: 'outbox' }))
    h.clock.advance(1_000)
    const shown = value<PasswordAdminResetDto>(await h.call('password.adminReset', { userId: miaId }))
    expect(shown).toMatchObject({ outcome: 'shown', code: expect.stringMatching(CODE) })
    const code = (shown as { code: string }).code
    const NEW = 'mia-new-orchard-password-12'
    value(
      await h.call('password.resetWithCode', {
        email: MIA.email,
        code,
        newPassword: NEW,
        confirmPassword: NEW,
      }),
    )
    expect(value<SessionState>(await h.call('session.state', {}, 'mia-pc')).phase).toBe('signed-out')
    value(await h.call('auth.login', { email: MIA.email, password: NEW }, 'mia-pc'))
    expect(await trail()).not.toContain(code)
  })
})
