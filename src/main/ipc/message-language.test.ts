import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeSmtp, type FakeSmtp } from '../../../test/fixtures/fake-smtp'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { connectPhones, type Phones } from '../../../test/fixtures/phones'
import { codeOf, value } from '../../../test/fixtures/results'
import type { EmailOutboxPage, InvitationDto, Policy, PreferencesDto, SmsOutboxPage } from '../../shared/dto'

type Harness = Awaited<ReturnType<typeof startBackend>>
const SMTP_PASSWORD = 'smtp-secret-Zq81-password'
/** An invitation or reset code as it appears in a message: 26 symbols in groups of five. */
const CODE = /\b[2-9A-HJ-NP-Z]{5}(?:-[2-9A-HJ-NP-Z]{1,5}){5}\b/

const MIA = { email: 'mia@example.com', name: 'Mia Member', role: 'member' as const }
const MIA_PASSWORD = 'quiet-orchard-ladder-93'
const LEO = { email: 'leo@example.com', name: 'Leo Member', role: 'member' as const }
const LEO_PASSWORD = 'amber-willow-kettle-61'

/**
 * Every email and SMS goes out in its recipient's language: the one they chose, else the account's
 * default. Read where the person reads it (the SMTP server, the phone) and in the outbox's copy.
 */
describe('messages in the recipient’s language', () => {
  let h: Harness
  let smtp: FakeSmtp
  let phones: Phones
  const mailTo = (to: string) => smtp.messages.filter((m) => m.to.includes(to))
  const outbox = async () => value<EmailOutboxPage>(await h.call('email.outbox', {})).messages
  const smsOutbox = async () => value<SmsOutboxPage>(await h.call('sms.outbox', {})).messages
  const setDefault = async (defaultLanguage: 'en' | 'es') =>
    expect(value<Policy>(await h.call('policy.update', { defaultLanguage })).defaultLanguage).toBe(
      defaultLanguage,
    )
  /** Invited by email and activated with the code from the message (2FA not required): signed in on `client`. */
  const person = async (who: typeof MIA, password: string, client: string) => {
    value<InvitationDto>(await h.call('users.create', { ...who, requireTwoFactor: false }))
    const code = CODE.exec(mailTo(who.email).at(-1)!.text ?? '')![0]
    value(await h.call('auth.activate', { email: who.email, code, password }, client))
  }
  const choose = async (language: 'en' | 'es' | null, client = 'window-1') =>
    expect(value<PreferencesDto>(await h.call('preferences.set', { language }, client)).language).toBe(
      language,
    )
  const startPhone = (number: string, password: string, client: string) =>
    h.call('phone.start', { number, numberConfirm: number, notAuthenticatorPhone: true, password }, client)

  beforeEach(async () => {
    smtp = await startFakeSmtp({ tls: 'none', auth: { user: 'tessera', pass: SMTP_PASSWORD } })
    h = await startBackend({ smsWorkerIntervalMs: 0 })
    await h.setup()
    value(await h.call('policy.update', { idleLockMinutes: 60 }))
    value(
      await h.call('email.configure', {
        provider: 'smtp',
        host: '127.0.0.1',
        port: smtp.port,
        tls: 'none',
        user: 'tessera',
        password: SMTP_PASSWORD,
        from: 'Example IT <it@example.com>',
        accountName: 'Example Ltd',
      }),
    )
    phones = await connectPhones(h.backend)
  })
  afterEach(async () => {
    await h.cleanup()
    await smtp.close()
    await phones.close()
  })

  it('the account’s default language is English, and owners may change it (audited)', async () => {
    expect(value<Policy>(await h.call('policy.get')).defaultLanguage).toBe('en')
    await setDefault('es')
    expect(value<Policy>(await h.call('policy.get')).defaultLanguage).toBe('es')
    expect(codeOf(await h.call('policy.update', { defaultLanguage: 'fr' }))).toBe('VALIDATION')
    const events = await h.backend.services().audit.list(undefined, 10)
    expect(JSON.stringify(events)).toContain('"defaultLanguage":{"from":"en","to":"es"}')
  })

  it('an invitation to someone who has no language yet is written in the account’s default', async () => {
    await setDefault('es')
    value(await h.call('users.create', { ...MIA, requireTwoFactor: false }))
    const [mail] = mailTo(MIA.email)
    expect(mail!.subject).toBe('Tu invitación a Tessera — Example Ltd')
    expect(mail!.text).toContain('Hola, Mia Member:')
    expect(mail!.text).toContain('Olivia Owner te invitó a iniciar sesión en Example Ltd con Tessera')
    // The date in Spanish, its zone named: 7 days after 28 November 2026, 09:00 UTC.
    expect(mail!.text).toContain('hasta el 5 de diciembre de 2026 a las 09:00 UTC')
    expect(mail!.text).toMatch(CODE)
    // The copy the console lists: the same words, the code as dots.
    const kept = (await outbox()).find((m) => m.kind === 'invitation')!
    expect(kept.subject).toBe(mail!.subject)
    expect(kept.text).toContain('Tu código de invitación: ••••-••••')
    expect(kept.text).not.toMatch(CODE)

    await setDefault('en')
    value(await h.call('users.create', { ...LEO, requireTwoFactor: false }))
    const [english] = mailTo(LEO.email)
    expect(english!.subject).toBe('Your invitation to Tessera — Example Ltd')
    expect(english!.text).toContain('Hello Leo Member,')
    expect(english!.text).toContain('until December 5, 2026 at 09:00 UTC')
  })

  it('a person’s own language wins over the account’s; with none, the account’s', async () => {
    await person(MIA, MIA_PASSWORD, 'mia-pc')
    await person(LEO, LEO_PASSWORD, 'leo-pc')
    await choose('es', 'mia-pc')
    await choose('en', 'leo-pc')
    await setDefault('es')
    const resetFor = async (who: typeof MIA) => {
      const before = mailTo(who.email).length
      value(await h.call('password.forgot', { email: who.email }, 'kiosk'))
      await expect.poll(() => mailTo(who.email).length).toBe(before + 1)
      return mailTo(who.email).at(-1)!
    }
    // Mia chose Spanish.
    const mia = await resetFor(MIA)
    expect(mia.subject).toBe('Restablece tu contraseña — Example Ltd')
    expect(mia.text).toContain('Tu código para restablecer la contraseña:')
    // Leo chose English, though the account's default is Spanish.
    const leo = await resetFor(LEO)
    expect(leo.subject).toBe('Reset your password — Example Ltd')
    expect(leo.text).toContain('Your password reset code:')
    // Leo follows the account again: Spanish now; back to English when the account changes.
    await choose(null, 'leo-pc')
    expect((await resetFor(LEO)).subject).toBe('Restablece tu contraseña — Example Ltd')
    await setDefault('en')
    expect((await resetFor(LEO)).subject).toBe('Reset your password — Example Ltd')
    // Mia's own choice still holds.
    expect((await resetFor(MIA)).subject).toBe('Restablece tu contraseña — Example Ltd')
  })

  it('an SMS code reaches the phone in the person’s language, and the outbox keeps it masked in the same', async () => {
    await person(MIA, MIA_PASSWORD, 'mia-pc')
    await choose('es', 'mia-pc')
    value(await startPhone('+34612345123', MIA_PASSWORD, 'mia-pc'))
    const body = phones.lastBody('+34612345123')
    expect(body).toMatch(
      /^Tu código de Tessera para verificar este teléfono de emergencia es \d{6}\. Caduca en 10 minutos\.$/,
    )
    const kept = (await smsOutbox()).find((m) => m.kind === 'phone_verification')!
    expect(kept.text).toBe(
      'Tu código de Tessera para verificar este teléfono de emergencia es ••••••. Caduca en 10 minutos.',
    )
    // The verified phone's notice to Mia by email is Spanish too.
    value(await h.call('phone.verify', { code: phones.lastCode('+34612345123') }, 'mia-pc'))
    expect(mailTo(MIA.email).at(-1)!.subject).toBe('Teléfono de emergencia añadido — Example Ltd')

    // The owner has no language of their own: the account's default, English.
    value(await startPhone('+34612345456', OWNER.password, 'window-1'))
    expect(phones.lastBody('+34612345456')).toMatch(
      /^Your Tessera code to verify this emergency phone is \d{6}\. It expires in 10 minutes\.$/,
    )
  })

  it('the owners hear of a protective change each in their own language', async () => {
    await choose('es')
    value(await h.call('policy.update', { lockMinutes: 30, noticesBy: 'email' }))
    const notice = mailTo(OWNER.email).at(-1)!
    expect(notice.subject).toBe('Cambió un ajuste que protege tu cuenta — Example Ltd')
    expect(notice.text).toContain(
      'Cambió un ajuste que protege tu cuenta (duración del bloqueo 15 → 30, avisos de seguridad correo y SMS → correo); lo cambió Olivia Owner (propietario).',
    )
    await choose('en')
    value(await h.call('policy.update', { lockMinutes: 20 }))
    expect(mailTo(OWNER.email).at(-1)!.text).toContain(
      'A setting that protects your account changed (lock duration 30 → 20), by Olivia Owner (owner).',
    )
  })
})
