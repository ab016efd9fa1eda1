import { onPostgres } from '../../../test/fixtures/engine'
import { createServer } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from '../../../test/fixtures/fake-twilio'
import { startBackend } from '../../../test/fixtures/harness'
import { AppError } from '../../shared/result'
import type { SmsConfigureInput } from '../../shared/schemas'
import { getSetting } from '../db/queries/settings'
import { claimDueSms } from '../db/queries/sms'
import { createTwilioSender } from '../adapters/twilio-sms'
import { sqlAll } from '../../../test/fixtures/sql'
import { SMS_MAX_ATTEMPTS } from './sms-service'

type Harness = Awaited<ReturnType<typeof startBackend>>

const TO = '+34612345123'
const MASKED = '+34 ••• ••• 123'
const FROM = '+15005550006'

/** A port nothing listens on: any request to it fails at once. */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as { port: number }).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/** Everything an export yields, joined. */
async function exported(parts: AsyncIterable<string>): Promise<string> {
  let out = ''
  for await (const part of parts) out += part
  return out
}

describe('SMS delivery', () => {
  let h: Harness
  let fake: FakeTwilio
  let ownerId: number

  beforeEach(async () => {
    h = await startBackend({ twilioTimeoutMs: 400 })
    ownerId = (await h.setup()).id
    fake = await startFakeTwilio()
  })
  afterEach(async () => {
    await fake.close()
    await h.cleanup()
  })

  const sms = () => h.backend.services().sms
  const useFake = (overrides: Partial<SmsConfigureInput> = {}) =>
    sms().configure(
      {
        provider: 'twilio',
        accountSid: fake.accountSid,
        authToken: fake.authToken,
        from: FROM,
        apiBaseUrl: fake.baseUrl,
        ...overrides,
      },
      ownerId,
    )
  const queueCode = (code = '482913') =>
    sms().enqueue({
      to: TO,
      body: `Your Tessera code is ${code}`,
      displayText: 'Your Tessera code is ••••••',
      kind: 'login_code',
      userId: ownerId,
    })
  const auditOf = async (type: string) =>
    (await h.backend.services().audit.list(undefined, 500)).events.filter((e) => e.type === type)

  it('uses the local outbox until Twilio is configured, with no network at all', async () => {
    const port = await closedPort()
    await sms().configure({ provider: 'outbox', apiBaseUrl: `http://127.0.0.1:${port}` }, ownerId)
    const id = await queueCode()
    expect(await sms().deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 })
    expect(await sms().entry(id)).toMatchObject({
      to: MASKED,
      status: 'sent',
      provider: 'outbox',
      providerSid: null,
      attempts: 1,
      text: 'Your Tessera code is ••••••',
    })
    expect(JSON.stringify(await sms().listOutbox({ limit: 10 }))).not.toContain('482913')
    expect((await auditOf('sms.sent'))[0]?.data).toMatchObject({ to: MASKED, provider: 'outbox' })
  })

  it('delivers through the real twilio client and records the SID', async () => {
    await useFake()
    const id = await queueCode()
    expect(await sms().deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 })
    expect(fake.messages).toHaveLength(1)
    const [got] = fake.messages
    expect(got).toMatchObject({ to: TO, from: FROM, body: 'Your Tessera code is 482913' })
    expect(await sms().entry(id)).toMatchObject({ status: 'sent', provider: 'twilio', providerSid: got!.sid })
    expect((await auditOf('sms.sent'))[0]?.data).toEqual({
      messageId: id,
      to: MASKED,
      kind: 'login_code',
      provider: 'twilio',
      sid: got!.sid,
    })
    // Later steps never send it again.
    h.clock.advance(24 * 3_600_000)
    expect(await sms().deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 })
    expect(fake.requests).toBe(1)
  })

  it('asks Twilio for the delivery status: delivered, or undelivered with the reason, never sent again', async () => {
    await useFake()
    const delivered = await queueCode('111111')
    const lost = await queueCode('222222')
    expect(await sms().deliverDue()).toEqual({ sent: 2, retrying: 0, failed: 0 })
    const [first, second] = fake.messages
    // Not asked before 30 s have passed since sending.
    expect(await sms().refreshStatuses()).toEqual({ checked: 0, undelivered: 0 })
    expect(fake.statusRequests).toBe(0)
    h.clock.advance(30_000)
    expect(await sms().refreshStatuses()).toEqual({ checked: 2, undelivered: 0 })
    expect(await sms().entry(delivered)).toMatchObject({ status: 'sent' })
    fake.setStatus(first!.sid, 'delivered')
    fake.setStatus(second!.sid, 'undelivered', 30003)
    h.clock.advance(30_000)
    expect(await sms().refreshStatuses()).toEqual({ checked: 2, undelivered: 1 })
    expect(await sms().entry(delivered)).toMatchObject({ status: 'delivered', lastError: null })
    expect(await sms().entry(lost)).toMatchObject({
      status: 'sent',
      lastError:
        'Not delivered: the phone is switched off or out of coverage (Twilio error 30003). It is not sent again; ask for a new code.',
    })
    expect((await auditOf('sms.undelivered')).map((e) => e.data)).toEqual([
      expect.objectContaining({
        messageId: lost,
        to: MASKED,
        providerStatus: 'undelivered',
        twilioError: 30003,
      }),
    ])
    // Final: neither is asked about nor sent again.
    h.clock.advance(60_000)
    const asked = fake.statusRequests
    expect(await sms().refreshStatuses()).toEqual({ checked: 0, undelivered: 0 })
    expect(await sms().deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 })
    expect(fake.statusRequests).toBe(asked)
    expect(fake.requests).toBe(2)
  })

  it('keeps asking later when the status cannot be fetched, and stops after 24 hours', async () => {
    await useFake()
    const id = await queueCode()
    await sms().deliverDue()
    fake.failNextStatus()
    h.clock.advance(30_000)
    expect(await sms().refreshStatuses()).toEqual({ checked: 0, undelivered: 0 })
    expect(fake.statusRequests).toBe(1)
    h.clock.advance(30_000)
    expect(await sms().refreshStatuses()).toEqual({ checked: 1, undelivered: 0 })
    h.clock.advance(24 * 3_600_000)
    expect(await sms().refreshStatuses()).toEqual({ checked: 0, undelivered: 0 })
    expect(fake.statusRequests).toBe(2)
    expect(await sms().entry(id)).toMatchObject({ status: 'sent' })
  })

  it('sends through a Messaging Service when one is given instead of a From number', async () => {
    const mg = `MG${'a'.repeat(32)}`
    const config = await useFake({ from: undefined, messagingServiceSid: mg })
    expect(config).toMatchObject({ from: null, messagingServiceSid: mg })
    await sms().sendTest(TO, ownerId)
    expect(fake.messages[0]).toMatchObject({ messagingServiceSid: mg, from: null })
  })

  it('retries a 429 after 5 s and delivers once', async () => {
    await useFake()
    const id = await queueCode()
    fake.failNext('rate-limited')
    expect(await sms().deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 })
    expect(await sms().entry(id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: 'Twilio is rate limiting requests (HTTP 429)',
      nextAttemptAt: h.clock.now() + 5_000,
    })
    expect(await sms().deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 }) // not due yet
    h.clock.advance(5_000)
    expect(await sms().deliverDue()).toEqual({ sent: 1, retrying: 0, failed: 0 })
    expect(fake.messages).toHaveLength(1)
    expect(fake.requests).toBe(2)
    expect(await sms().entry(id)).toMatchObject({ status: 'sent', attempts: 2, lastError: null })
  })

  it('retries 500s with growing waits and delivers once', async () => {
    await useFake()
    const id = await queueCode()
    fake.failNext('server-error', 2)
    expect((await sms().deliverDue()).retrying).toBe(1)
    h.clock.advance(5_000)
    expect((await sms().deliverDue()).retrying).toBe(1)
    expect(await sms().entry(id)).toMatchObject({
      attempts: 2,
      lastError: 'Twilio is unavailable (HTTP 500)',
      nextAttemptAt: h.clock.now() + 15_000,
    })
    h.clock.advance(15_000)
    expect((await sms().deliverDue()).sent).toBe(1)
    expect(fake.messages).toHaveLength(1)
    expect(fake.requests).toBe(3)
  })

  it('treats a request that never answers as a timeout and retries it', async () => {
    await useFake()
    const id = await queueCode()
    fake.failNext('hang')
    expect(await sms().deliverDue()).toEqual({ sent: 0, retrying: 1, failed: 0 })
    expect((await sms().entry(id)).lastError).toBe('Twilio did not answer within 400 ms')
    h.clock.advance(5_000)
    expect((await sms().deliverDue()).sent).toBe(1)
    expect(fake.messages).toHaveLength(1)
  })

  it('marks an invalid number (21211) as failed with the reason, and never retries it', async () => {
    await useFake()
    const id = await queueCode()
    fake.failNext('invalid-number')
    expect(await sms().deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 1 })
    const listed = (await sms().listOutbox({ limit: 10 })).messages[0]
    expect(listed).toMatchObject({
      id,
      to: MASKED,
      status: 'failed',
      attempts: 1,
      lastError: 'The phone number is not valid (Twilio error 21211)',
      nextAttemptAt: null,
    })
    // Twilio's own message quotes the full number; it is not kept.
    expect(JSON.stringify(listed)).not.toContain(TO)
    h.clock.advance(3_600_000)
    expect(await sms().deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 })
    expect(fake.requests).toBe(1)
    expect((await auditOf('sms.failed'))[0]?.data).toMatchObject({
      to: MASKED,
      reason: 'The phone number is not valid (Twilio error 21211)',
    })
  })

  it('fails for good after the last attempt when Twilio stays down', async () => {
    await useFake()
    const id = await queueCode()
    fake.failNext('server-error', SMS_MAX_ATTEMPTS)
    for (let i = 0; i < SMS_MAX_ATTEMPTS; i++) {
      await sms().deliverDue()
      h.clock.advance(15 * 60_000)
    }
    expect(await sms().entry(id)).toMatchObject({
      status: 'failed',
      attempts: SMS_MAX_ATTEMPTS,
      lastError: `Twilio is unavailable (HTTP 500); gave up after ${SMS_MAX_ATTEMPTS} attempts`,
    })
    expect(await sms().deliverDue()).toEqual({ sent: 0, retrying: 0, failed: 0 })
    expect(fake.messages).toHaveLength(0)
  })

  it('waits while Twilio cannot be reached and sends what waits once it is back', async () => {
    const port = await closedPort()
    await useFake({ apiBaseUrl: `http://127.0.0.1:${port}` })
    const id = await queueCode()
    expect((await sms().deliverDue()).retrying).toBe(1)
    expect((await sms().entry(id)).lastError).toBe('Twilio cannot be reached (ECONNREFUSED)')
    // Moving the address needs the token again: the stored one never follows settings elsewhere.
    await expect(sms().configure({ provider: 'twilio', apiBaseUrl: fake.baseUrl }, ownerId)).rejects.toThrow(
      /auth token again/,
    )
    await sms().configure(
      { provider: 'twilio', apiBaseUrl: fake.baseUrl, authToken: fake.authToken },
      ownerId,
    )
    h.clock.advance(5_000)
    expect((await sms().deliverDue()).sent).toBe(1)
    expect(fake.messages).toHaveLength(1)
  })

  it('retries a message left "sending" by a crash only after its lease lapses', async () => {
    await useFake()
    const id = await queueCode()
    const { db } = h.backend.services()
    await db.transaction(() => claimDueSms(db, h.clock.now(), h.clock.now() + 60_000)) // then the crash
    expect((await sms().entry(id)).status).toBe('sending')
    expect((await sms().deliverDue()).sent).toBe(0)
    h.clock.advance(60_000)
    expect((await sms().deliverDue()).sent).toBe(1)
    expect(fake.messages).toHaveLength(1)
    expect((await sms().entry(id)).attempts).toBe(2)
  })

  it('records, not resends, a message Twilio took just before the app was killed', async () => {
    await useFake()
    const id = await queueCode()
    await queueCode('482913') // the same text again, sent on its own: it must not be taken for the first
    const { db } = h.backend.services()
    const claimed = (await db.transaction(() => claimDueSms(db, h.clock.now(), h.clock.now() + 60_000, id)))!
    // The request reached Twilio, then the process died before the answer was recorded.
    const sender = createTwilioSender({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: FROM,
      messagingServiceSid: null,
      apiBaseUrl: fake.baseUrl,
    })
    const took = await sender.send({ to: claimed.to_e164, body: claimed.body })
    expect(took.kind).toBe('accepted')
    h.clock.advance(60_000)
    expect(await sms().deliverDue()).toMatchObject({ sent: 2 })
    // Twilio has the first message once and the second once; the first row holds the SID Twilio gave.
    expect(fake.messages).toHaveLength(2)
    expect(fake.listRequests).toBe(1)
    const first = await sms().entry(id)
    expect(first).toMatchObject({ status: 'sent', attempts: 2 })
    expect(fake.messages.map((m) => m.sid)).toContain(took.kind === 'accepted' ? took.sid : '')
    const sent = await sqlAll<{ data: string }>(
      db,
      "SELECT data FROM audit_events WHERE type = 'sms.sent' ORDER BY seq",
    )
    const found = Object.fromEntries(
      sent.map((e) => {
        const data = JSON.parse(e.data) as { messageId: number; foundAfterInterruption?: boolean }
        return [data.messageId, data.foundAfterInterruption ?? false]
      }),
    )
    expect(found).toEqual({ [id]: true, [id + 1]: false })
  })

  it('refuses a wrong auth token without retrying', async () => {
    await useFake({ authToken: 'not-the-token' })
    await queueCode()
    expect((await sms().deliverDue()).failed).toBe(1)
    expect((await sms().listOutbox({ limit: 1 })).messages[0]?.lastError).toBe(
      'Twilio refused the Account SID or auth token (Twilio error 20003)',
    )
  })

  it('queues inside the caller transaction: a rollback leaves no message and no audit event', async () => {
    const { db } = h.backend.services()
    const events = await h.backend.services().audit.count()
    await expect(
      db.transaction(async () => {
        await queueCode()
        throw new Error('the change that wanted the SMS failed')
      }),
    ).rejects.toThrow(/failed/)
    expect((await sms().listOutbox({ limit: 10 })).messages).toEqual([])
    expect(await h.backend.services().audit.count()).toBe(events)
  })

  it('refuses an invalid number before queueing', async () => {
    await expect(sms().enqueue({ to: '+34 123', body: 'x', displayText: 'x', kind: 'test' })).rejects.toThrow(
      AppError,
    )
  })

  it('keeps the auth token out of the settings, the audit trail and every listing', async () => {
    const config = await useFake()
    expect(config).toMatchObject({ provider: 'twilio', authTokenSet: true, authTokenStore: 'database' })
    await sms().sendTest(TO, ownerId)
    const services = h.backend.services()
    const everything = [
      JSON.stringify(config),
      JSON.stringify(await sms().getConfig()),
      JSON.stringify(await sms().listOutbox({ limit: 100 })),
      await exported(services.audit.export('jsonl')),
      (await getSetting(services.db, 'sms')) ?? '',
    ].join('\n')
    expect(everything).not.toContain(fake.authToken)
    expect((await auditOf('sms.config_updated'))[0]?.data).toMatchObject({
      provider: 'twilio',
      from: FROM,
      apiBaseUrl: fake.baseUrl,
      credentialsReplaced: true,
    })
    expect((await services.audit.verify()).ok).toBe(true)
  })

  it('asks for what Twilio needs', async () => {
    const code = async (p: Promise<unknown>) => p.then(() => 'OK').catch((e: AppError) => e.code)
    expect(await code(sms().configure({ provider: 'twilio', accountSid: fake.accountSid }, ownerId))).toBe(
      'VALIDATION',
    )
    expect(
      await code(
        sms().configure(
          { provider: 'twilio', accountSid: fake.accountSid, from: FROM, authToken: 'x' },
          ownerId,
        ),
      ),
    ).toBe('OK')
    expect(await code(sms().configure({ provider: 'twilio', from: 'not a number' }, ownerId))).toBe(
      'VALIDATION',
    )
  })
})

describe('the Twilio auth token with a keychain-protected database', () => {
  // A keychain-protected file; on a team database the token is sealed in the database (src/main/db/postgres).
  it.skipIf(onPostgres)(
    'goes to the OS keychain under <databaseId>:twilio, not into the database',
    async () => {
      const h = await startBackend({ keyStore: 'keychain' })
      try {
        const owner = await h.setup()
        const services = h.backend.services()
        const token = 'f'.repeat(32)
        const config = await services.sms.configure(
          { provider: 'twilio', accountSid: `AC${'1'.repeat(32)}`, from: FROM, authToken: token },
          owner.id,
        )
        expect(config).toMatchObject({ authTokenSet: true, authTokenStore: 'keychain' })
        expect(await h.keychain.get(`${services.opened.databaseId}:twilio`)).toBe(token)
        expect(await getSetting(services.db, 'sms.twilio_auth_token')).toBeUndefined()
      } finally {
        await h.cleanup()
      }
    },
  )
})

describe('the SMS worker', () => {
  it('sends what waits while the database is open, and stops on close', async () => {
    const h = await startBackend({ smsWorkerIntervalMs: 20 })
    try {
      const owner = await h.setup()
      const sms = h.backend.services().sms
      const id = await sms.enqueue({
        to: TO,
        body: 'hello',
        displayText: 'hello',
        kind: 'test',
        userId: owner.id,
      })
      for (let i = 0; i < 100 && (await sms.entry(id)).status !== 'sent'; i++) {
        await new Promise((r) => setTimeout(r, 20))
      }
      expect((await sms.entry(id)).status).toBe('sent')
    } finally {
      await h.cleanup()
    }
  })
})
