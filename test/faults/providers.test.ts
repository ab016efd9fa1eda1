import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EmailOutboxEntryDto, SmsOutboxEntryDto } from '../../src/shared/dto'
import type { Result } from '../../src/shared/result'
import { startFakeSmtp, type FakeSmtp } from '../fixtures/fake-smtp'
import { startFakeTwilio, type FakeTwilio } from '../fixtures/fake-twilio'
import { startBackend } from '../fixtures/harness'

/**
 * Twilio and the mail server stop answering: they take the connection (or even the message) and never
 * reply. The action that queued the message still answers; the outbox says why the message waits; and
 * once the servers answer again each message goes out exactly once.
 */
const SMTP_PASSWORD = 'smtp relay password 4471'
const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}

describe('Twilio and the mail server hanging', () => {
  let h: Awaited<ReturnType<typeof startBackend>>
  let twilio: FakeTwilio
  let smtp: FakeSmtp
  const services = () => h.backend.services()

  beforeEach(async () => {
    h = await startBackend({ twilioTimeoutMs: 300, smtpTimeoutMs: 300 })
    await h.setup()
    twilio = await startFakeTwilio()
    smtp = await startFakeSmtp({ tls: 'none', auth: { user: 'tessera', pass: SMTP_PASSWORD }, hang: true })
    value(
      await h.call('sms.configure', {
        provider: 'twilio',
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: '+15005550006',
        apiBaseUrl: twilio.baseUrl,
      }),
    )
    value(
      await h.call('email.configure', {
        provider: 'smtp',
        host: '127.0.0.1',
        port: smtp.port,
        tls: 'none',
        user: 'tessera',
        password: SMTP_PASSWORD,
        from: 'Example IT <it@example.com>',
      }),
    )
  })
  afterEach(async () => {
    await h.cleanup()
    await twilio.close()
    await smtp.close()
  })

  it('the action answers with the message queued and why; once the servers answer, each goes out once', async () => {
    twilio.failNext('hang')
    const sms = value<SmsOutboxEntryDto>(await h.call('sms.sendTest', { to: '+34612345678' }))
    expect(sms).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'Twilio did not answer within 300 ms',
    })
    const mail = value<EmailOutboxEntryDto>(await h.call('email.sendTest', { to: 'owner@example.com' }))
    expect(mail).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'The mail server did not answer within 300 ms',
    })
    expect(twilio.messages).toEqual([])
    expect(smtp.messages).toEqual([])
    // The console goes on meanwhile.
    expect((await h.call('users.list', {})).ok).toBe(true)

    smtp.setHanging(false)
    h.clock.advance(5_000)
    expect(await services().sms.deliverDue()).toMatchObject({ sent: 1 })
    // The test message, and the notice to the owner that the SMS settings changed (queued behind it).
    expect(await services().email.deliverDue()).toMatchObject({ sent: 2, failed: 0 })
    h.clock.advance(3_600_000)
    await services().sms.deliverDue()
    await services().email.deliverDue()
    expect(twilio.messages.map((m) => m.to)).toEqual(['+34612345678'])
    expect(smtp.messages.filter((m) => m.subject.startsWith('Test message')).map((m) => m.to)).toEqual([
      'owner@example.com',
    ])
    const ids = smtp.messages.map((m) => m.headers['message-id'])
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('Twilio took the message but never answered: the retry finds it there and does not send it again', async () => {
    twilio.failNext('accept-then-hang')
    const sms = value<SmsOutboxEntryDto>(await h.call('sms.sendTest', { to: '+34612345678' }))
    expect(sms).toMatchObject({ status: 'queued', lastError: 'Twilio did not answer within 300 ms' })
    expect(twilio.messages).toHaveLength(1)
    h.clock.advance(5_000)
    expect(await services().sms.deliverDue()).toMatchObject({ sent: 1 })
    expect(twilio.messages).toHaveLength(1)
    expect(twilio.listRequests).toBe(1)
    const [entry] = (await services().sms.listOutbox({ limit: 1 })).messages
    expect(entry).toMatchObject({ status: 'sent', attempts: 2 })
  })
})
