import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTwilio, type FakeTwilio } from '../fixtures/fake-twilio'
import { tempDir } from '../fixtures/temp'
import {
  allOutput,
  AS_OWNER,
  auditEvents,
  ensureCliBuilt,
  initPassphraseDb,
  OWNER_PASSWORD,
  ownerStdin,
  tessera,
  tesseraAsync,
  twilioConfigArgs,
} from './helpers'

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
  /** Run as the owner: --as, the owner's password first on stdin, then `lines`. */
  const asOwner = (args: string[], ...lines: string[]) => run([...args, ...AS_OWNER], ownerStdin(...lines))
  const asOwnerAsync = (args: string[], ...lines: string[]) =>
    runAsync([...args, ...AS_OWNER], ownerStdin(...lines))
  const twilioArgs = (...extra: string[]) => [...twilioConfigArgs(fake, { from: FROM }), ...extra]
  // The Twilio auth token is the line of stdin after the owner's password.
  const configureFake = () => asOwner(twilioArgs('--json'), fake.authToken)

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

    const sent = await asOwnerAsync(['sms', 'test', '--to', '+34 612 345 123'])
    expect(sent.status).toBe(0)
    expect(fake.messages).toHaveLength(1)
    expect(fake.messages[0]).toMatchObject({ to: TO, from: FROM })
    expect(sent.stdout).toContain(
      `Sent a test message to +34 ••• ••• 123 through twilio (SID ${fake.messages[0]!.sid})`,
    )

    const outbox = asOwner(['sms', 'outbox', '--json'])
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
    expect(asOwner(['sms', 'outbox']).stdout).toMatch(/\+34 ••• ••• 123\s+test\s+sent\s+1/)
    expect(run(['audit', 'verify']).status).toBe(0)
    // The token went in on stdin only; no run ever printed it, nor the owner's password.
    expect(allOutput.join('\n')).not.toContain(fake.authToken)
    expect(allOutput.join('\n')).not.toContain(OWNER_PASSWORD)
    // The settings change names the owner who made it.
    const configured = auditEvents(db, env).find((e) => e.type === 'sms.config_updated')
    expect(configured).toMatchObject({ actorId: 1, data: { via: 'cli' } })
  })

  it('exits 26 with the reason when Twilio refuses the number, and keeps it in the outbox', async () => {
    expect(configureFake().status).toBe(0)
    fake.failNext('invalid-number')
    const r = await asOwnerAsync(['sms', 'test', '--to', TO, '--json'])
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
    expect(asOwner(['sms', 'outbox', '--limit', '5']).stdout).toContain('(Twilio error 21211)')
  })

  it('sends what waits with sms outbox --deliver once Twilio is back (a headless machine has no worker)', async () => {
    expect(configureFake().status).toBe(0)
    fake.failNext('server-error')
    const first = await asOwnerAsync(['sms', 'test', '--to', TO, '--json'])
    expect(first.status).toBe(26)
    expect(first.json()).toMatchObject({ error: { sms: { status: 'queued', attempts: 1 } } })
    // Not due yet: the first retry waits 5 s. Alone (no --as, as from cron) --deliver acts for nobody
    // and prints only what it delivered, not the outbox.
    const early = await runAsync(['sms', 'outbox', '--deliver', '--json'])
    expect(early.status, early.stderr).toBe(0)
    expect(early.json()).toEqual({
      delivered: { sent: 0, retrying: 0, failed: 0 },
      statuses: expect.any(Object) as unknown,
    })
    await new Promise((r) => setTimeout(r, 5200))
    const later = await runAsync(['sms', 'outbox', '--deliver'])
    expect(later.status).toBe(0)
    expect(later.stdout).toContain('Delivery: 1 sent, 0 to retry later, 0 failed')
    expect(later.stdout).not.toContain('••• 123')
    expect(asOwner(['sms', 'outbox']).stdout).toMatch(/\+34 ••• ••• 123\s+test\s+sent\s+2/)
    expect(fake.messages).toHaveLength(1)
  })

  it('uses the local outbox by default, with no network', () => {
    const r = asOwner(['sms', 'test', '--to', TO, '--json'])
    expect(r.status).toBe(0)
    expect(r.json()).toMatchObject({ status: 'sent', provider: 'outbox', providerSid: null })
    expect(fake.requests).toBe(0)
  })

  it('refuses what it cannot use, with usage errors', () => {
    expect(asOwner(['sms', 'test', '--to', '12']).status).toBe(2)
    expect(asOwner(['sms', 'config', '--provider', 'carrier-pigeon']).status).toBe(2)
    expect(asOwner(['sms', 'config', '--provider', 'twilio', '--auth-token', 'x']).status).toBe(2)
    const noToken = asOwner([
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
    // http:// only to this machine: a token is never sent in clear over the network.
    const plain = asOwner(
      twilioConfigArgs(fake, { from: FROM, apiBaseUrl: 'http://twilio.example.com' }),
      fake.authToken,
    )
    expect(plain.status).toBe(2)
    expect(asOwner(['sms', 'outbox', '--limit', 'many']).status).toBe(2)
    expect(run(['sms', '--help']).status).toBe(0)
  })

  it('needs someone to say who they are, lets only owners change SMS, and asks for the token again to move it', () => {
    const anonymous = run(['sms', 'outbox', '--json'])
    expect(anonymous.status).toBe(2)
    expect(anonymous.json().error).toMatchObject({ reason: 'WHO_ARE_YOU' })
    expect(run(['sms', 'test', '--to', TO]).status).toBe(2)
    expect(configureFake().status).toBe(0)

    // An admin reads the outbox, but SMS settings and test messages are the owner's.
    const ADMIN = 'dee.admin@example.com'
    const PASSWORD = 'quiet-orchard-ladder-93'
    const added = asOwner([
      'users',
      'add',
      '--email',
      ADMIN,
      '--name',
      'Dee',
      '--role',
      'admin',
      '--no-require-2fa',
      '--json',
    ])
    expect(added.status, added.stderr).toBe(0)
    const code = added.json().invitationCode as string
    expect(run(['users', 'activate', '--email', ADMIN, '--code', '-'], `${PASSWORD}\n${code}\n`).status).toBe(
      0,
    )
    expect(run(['sms', 'outbox', '--as', ADMIN], `${PASSWORD}\n`).status).toBe(0)
    const config = run(['sms', 'config', '--provider', 'outbox', '--as', ADMIN, '--json'], `${PASSWORD}\n`)
    expect(config.status).toBe(9)
    expect(config.json().error).toMatchObject({ code: 'FORBIDDEN' })
    expect(run(['sms', 'test', '--to', TO, '--as', ADMIN], `${PASSWORD}\n`).status).toBe(9)

    // Moving the stored token to another address or account needs the token typed again.
    const moved = asOwner([
      'sms',
      'config',
      '--provider',
      'twilio',
      '--api-base-url',
      'http://127.0.0.1:9',
      '--json',
    ])
    expect(moved.status).toBe(2)
    expect(moved.json().error).toMatchObject({
      message: expect.stringMatching(/Enter the auth token again/) as unknown,
    })
    const otherAccount = asOwner([
      'sms',
      'config',
      '--provider',
      'twilio',
      '--account-sid',
      `AC${'0'.repeat(32)}`,
    ])
    expect(otherAccount.status).toBe(2)
    const kept = asOwner(['sms', 'config', '--provider', 'twilio', '--from', '+15005550007', '--json'])
    expect(kept.status, kept.stderr).toBe(0)
    expect(kept.json()).toMatchObject({
      apiBaseUrl: fake.baseUrl,
      accountSid: fake.accountSid,
      from: '+15005550007',
      authTokenSet: true,
    })
  })
})
