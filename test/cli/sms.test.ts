import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from '../fixtures/fake-twilio'
import { tempDir } from '../fixtures/temp'
import { allOutput, ensureCliBuilt, initPassphraseDb, tessera, tesseraAsync } from './helpers'

const TO = '+34612345123'
const FROM = '+15005550006'

describe('tessera sms', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  let fake: FakeTwilio
  const run = (args: string[], input = '') => tessera(['--db', db, ...args], { input, env })
  // The fake answers from this process, so a run that talks to it must not block the event loop.
  const runAsync = (args: string[], input = '') => tesseraAsync(['--db', db, ...args], { input, env })
  const configureFake = () =>
    run(
      [
        'sms',
        'config',
        '--provider',
        'twilio',
        '--account-sid',
        fake.accountSid,
        '--from',
        FROM,
        '--api-base-url',
        fake.baseUrl,
        '--json',
      ],
      `${fake.authToken}\n`,
    )

  beforeAll(ensureCliBuilt)
  beforeEach(async () => {
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
    fake = await startFakeTwilio()
  })
  afterEach(async () => {
    await fake.close()
    t.cleanup()
  })

  it('configures Twilio with the token on stdin, sends a test message, and lists it', async () => {
    const config = configureFake()
    expect(config.status).toBe(0)
    expect(config.json()).toEqual({
      provider: 'twilio',
      accountSid: fake.accountSid,
      from: FROM,
      messagingServiceSid: null,
      apiBaseUrl: fake.baseUrl,
      authTokenSet: true,
      authTokenStore: 'database',
    })

    const sent = await runAsync(['sms', 'test', '--to', '+34 612 345 123'])
    expect(sent.status).toBe(0)
    expect(fake.messages).toHaveLength(1)
    expect(fake.messages[0]).toMatchObject({ to: TO, from: FROM })
    expect(sent.stdout).toContain(
      `Sent a test message to +34 ••• ••• 123 through twilio (SID ${fake.messages[0]!.sid})`,
    )

    const outbox = run(['sms', 'outbox', '--json'])
    expect(outbox.status).toBe(0)
    expect(outbox.json()).toEqual({
      messages: [
        {
          id: 1,
          to: '+34 ••• ••• 123',
          kind: 'test',
          text: 'Tessera test message: SMS delivery works.',
          status: 'sent',
          attempts: 1,
          lastError: null,
          provider: 'twilio',
          providerSid: fake.messages[0]!.sid,
          createdAt: expect.any(Number) as number,
          sentAt: expect.any(Number) as number,
          nextAttemptAt: null,
        },
      ],
      nextBefore: null,
    })
    expect(run(['sms', 'outbox']).stdout).toMatch(/\+34 ••• ••• 123\s+test\s+sent\s+1/)
    expect(run(['audit', 'verify']).status).toBe(0)
    // The token went in on stdin only; no run ever printed it.
    expect(allOutput.join('\n')).not.toContain(fake.authToken)
  })

  it('exits 26 with the reason when Twilio refuses the number, and keeps it in the outbox', async () => {
    expect(configureFake().status).toBe(0)
    fake.failNext('invalid-number')
    const r = await runAsync(['sms', 'test', '--to', TO, '--json'])
    expect(r.status).toBe(26)
    expect(r.json()).toMatchObject({
      error: {
        code: 'SMS_NOT_SENT',
        reason: 'FAILED',
        message:
          'The test message to +34 ••• ••• 123 was not sent: The phone number is not valid (Twilio error 21211).',
        sms: { status: 'failed', lastError: 'The phone number is not valid (Twilio error 21211)' },
      },
    })
    expect(run(['sms', 'outbox', '--limit', '5']).stdout).toContain('(Twilio error 21211)')
  })

  it('sends what waits with sms outbox --deliver once Twilio is back (a headless machine has no worker)', async () => {
    expect(configureFake().status).toBe(0)
    fake.failNext('server-error')
    const first = await runAsync(['sms', 'test', '--to', TO, '--json'])
    expect(first.status).toBe(26)
    expect(first.json()).toMatchObject({ error: { sms: { status: 'queued', attempts: 1 } } })
    // Not due yet: the first retry waits 5 s.
    const early = await runAsync(['sms', 'outbox', '--deliver', '--json'])
    expect(early.json()).toMatchObject({ delivered: { sent: 0, retrying: 0, failed: 0 } })
    await new Promise((r) => setTimeout(r, 5200))
    const later = await runAsync(['sms', 'outbox', '--deliver'])
    expect(later.status).toBe(0)
    expect(later.stdout).toContain('Delivery: 1 sent, 0 to retry later, 0 failed')
    expect(later.stdout).toMatch(/\+34 ••• ••• 123\s+test\s+sent\s+2/)
    expect(fake.messages).toHaveLength(1)
  })

  it('uses the local outbox by default, with no network', () => {
    const r = run(['sms', 'test', '--to', TO, '--json'])
    expect(r.status).toBe(0)
    expect(r.json()).toMatchObject({ status: 'sent', provider: 'outbox', providerSid: null })
    expect(fake.requests).toBe(0)
  })

  it('refuses what it cannot use, with usage errors', () => {
    expect(run(['sms', 'test', '--to', '12']).status).toBe(2)
    expect(run(['sms', 'config', '--provider', 'carrier-pigeon']).status).toBe(2)
    expect(run(['sms', 'config', '--provider', 'twilio', '--auth-token', 'x']).status).toBe(2)
    const noToken = run([
      'sms',
      'config',
      '--provider',
      'twilio',
      '--account-sid',
      fake.accountSid,
      '--from',
      FROM,
    ])
    expect(noToken.status).toBe(2)
    expect(noToken.stderr).toContain('Twilio needs the auth token')
    expect(run(['sms', 'outbox', '--limit', 'many']).status).toBe(2)
    expect(run(['sms', '--help']).status).toBe(0)
  })
})
