import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  fakeSmtpUnavailable,
  startFakeSmtp,
  type FakeSmtp,
  type FakeSmtpOptions,
} from '../fixtures/fake-smtp'
import { tempDir } from '../fixtures/temp'
import {
  allOutput,
  AS_OWNER,
  auditEvents,
  ensureCliBuilt,
  initPassphraseDb,
  OWNER_EMAIL,
  OWNER_PASSWORD,
  ownerStdin,
  tesseraAsync,
  type CliRun,
} from './helpers'

const SMTP_USER = 'tessera@acme.example'
const SMTP_PASSWORD = 'smtp-Secret-Pw-7731'
const FROM = 'Acme IT <it@acme.example>'
const TO = 'ops@acme.example'

const unavailable = fakeSmtpUnavailable()

describe.skipIf(unavailable !== undefined)('tessera email', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  let fake: FakeSmtp | undefined
  // The fake SMTP server answers from this process: every run must leave its event loop free.
  const run = (args: string[], input = ''): Promise<CliRun> =>
    tesseraAsync(['--db', db, ...args], { input, env })
  /** Run as the owner: --as, the owner's password first on stdin, then `lines`. */
  const asOwner = (args: string[], ...lines: string[]) => run([...args, ...AS_OWNER], ownerStdin(...lines))
  const ok = (r: CliRun): CliRun => {
    expect(r.status, r.stderr || r.stdout).toBe(0)
    return r
  }

  /** Starts the fake server; the CLI trusts its self-signed certificate through TESSERA_SMTP_CA_FILE. */
  async function startSmtp(options: FakeSmtpOptions): Promise<FakeSmtp> {
    fake = await startFakeSmtp(options)
    const caFile = join(t.dir, 'smtp-ca.pem')
    writeFileSync(caFile, fake.ca)
    env = { ...env, TESSERA_SMTP_CA_FILE: caFile }
    return fake
  }

  const smtpArgs = (smtp: FakeSmtp, tls: FakeSmtpOptions['tls'], ...extra: string[]) => [
    'email',
    'config',
    '--provider',
    'smtp',
    '--smtp-host',
    smtp.host,
    '--smtp-port',
    String(smtp.port),
    '--tls',
    tls,
    '--from',
    FROM,
    ...extra,
  ]

  beforeAll(ensureCliBuilt)
  beforeEach(() => {
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
  })
  afterEach(async () => {
    await fake?.close()
    fake = undefined
    t.cleanup()
  })

  it('configures SMTP with STARTTLS and the password on stdin, and the test message arrives; the password is shown nowhere', async () => {
    const smtp = await startSmtp({ tls: 'starttls', auth: { user: SMTP_USER, pass: SMTP_PASSWORD } })

    // Secrets never come from argv, and plain SMTP never leaves this machine: refused before anything opens.
    const inArgv = await asOwner([...smtpArgs(smtp, 'starttls'), '--smtp-password', SMTP_PASSWORD, '--json'])
    expect(inArgv.status).toBe(2)
    expect(inArgv.json().error).toMatchObject({ reason: 'SECRET_IN_ARGV' })
    const plain = await asOwner([
      'email',
      'config',
      '--provider',
      'smtp',
      '--smtp-host',
      'smtp.acme.example',
      '--tls',
      'none',
      '--from',
      FROM,
    ])
    expect(plain.status).toBe(2)
    expect(plain.stderr).toContain(
      '--tls none: plain SMTP (no TLS) is allowed only to this machine (localhost, 127.0.0.1, ::1), since messages carry codes: choose --tls starttls or implicit.',
    )
    // A user without a password to go with it.
    const noPassword = await asOwner(smtpArgs(smtp, 'starttls', '--smtp-user', SMTP_USER))
    expect(noPassword.status).toBe(2)
    expect(noPassword.stderr).toContain('Give the SMTP password')

    const config = ok(
      await asOwner(
        smtpArgs(smtp, 'starttls', '--smtp-user', SMTP_USER, '--account-name', 'Acme IT', '--json'),
        SMTP_PASSWORD,
      ),
    )
    expect(config.json()).toEqual({
      provider: 'smtp',
      host: '127.0.0.1',
      port: smtp.port,
      tls: 'starttls',
      user: SMTP_USER,
      from: FROM,
      accountName: 'Acme IT',
      passwordSet: true,
      passwordStore: 'database',
    })
    // The owner is told of the change, already through the new server.
    expect(smtp.messages.map((m) => m.envelope.to)).toEqual([[OWNER_EMAIL]])
    expect(smtp.messages[0]).toMatchObject({ secure: true, user: SMTP_USER })

    // An empty line keeps the stored password.
    const kept = ok(await asOwner(smtpArgs(smtp, 'starttls'), ''))
    expect(kept.stdout).toContain('Email provider  smtp')
    expect(kept.stdout).toContain(`SMTP server     127.0.0.1:${smtp.port}`)
    expect(kept.stdout).toContain('TLS             STARTTLS (required)')
    expect(kept.stdout).toContain(`User            ${SMTP_USER}`)
    expect(kept.stdout).toContain('Password        stored (encrypted database)')
    expect(kept.stdout).toContain('Account name    Acme IT')

    const sent = ok(await asOwner(['email', 'test', '--to', TO]))
    expect(sent.stdout).toMatch(
      new RegExp(`^Sent a test message to ${TO}: the SMTP server accepted it \\(Message-ID <.+>\\)\\.$`, 'm'),
    )
    const test = smtp.messages.find((m) => m.envelope.to.includes(TO))!
    expect(test).toMatchObject({ subject: 'Test message — Acme IT', secure: true, user: SMTP_USER })
    expect(test.from).toContain('it@acme.example')
    expect(test.text).toContain('This is a test message from Tessera: email delivery works.')
    expect(test.html).toContain('email delivery works')

    const outbox = ok(await asOwner(['email', 'outbox', '--json']))
    const messages = outbox.json().messages as Record<string, unknown>[]
    expect(messages[0]).toMatchObject({
      to: TO,
      kind: 'test',
      subject: 'Test message — Acme IT',
      status: 'sent',
      attempts: 1,
      lastError: null,
      provider: 'smtp',
      providerId: expect.stringMatching(/^<.+>$/) as unknown,
    })
    expect(messages.map((m) => m.kind)).toContain('protective_setting_changed')
    expect((await asOwner(['email', 'outbox'])).stdout).toMatch(
      new RegExp(`^\\d+\\s+\\S+\\s+${TO}\\s+test\\s+sent\\s+1\\s+Test message — Acme IT$`, 'm'),
    )

    // The password went in on stdin only: no output, no JSON and no audit event ever held it.
    const events = auditEvents(db, env)
    expect(JSON.stringify(events)).not.toContain(SMTP_PASSWORD)
    expect(events.filter((e) => e.type === 'email.config_updated').map((e) => e.data)).toMatchObject([
      { via: 'cli', host: '127.0.0.1', tls: 'starttls', user: SMTP_USER, credentialsReplaced: true },
      { via: 'cli', credentialsReplaced: false },
    ])
    expect(events.find((e) => e.type === 'email.config_updated')).toMatchObject({ actorId: 1 })
    expect(allOutput.join('\n')).not.toContain(SMTP_PASSWORD)
    expect(allOutput.join('\n')).not.toContain(OWNER_PASSWORD)

    // Moving the stored password to another server needs it typed again.
    const moved = await asOwner(
      ['email', 'config', '--provider', 'smtp', '--smtp-host', 'localhost', '--json'],
      '',
    )
    expect(moved.status).toBe(2)
    expect(moved.json().error).toMatchObject({
      message: expect.stringMatching(/Enter the SMTP password again/) as unknown,
    })
  })

  it("fails at once on a 5xx with the server's reply, retries a 4xx, and email outbox --deliver sends it later", async () => {
    const smtp = await startSmtp({ tls: 'implicit' })
    ok(await asOwner(smtpArgs(smtp, 'implicit')))
    smtp.messages.length = 0

    smtp.script({ at: 'rcpt', code: 550, message: '5.1.1 <ops@acme.example>: no such mailbox here' })
    const refused = await asOwner(['email', 'test', '--to', TO])
    expect(refused.status).toBe(32)
    expect(refused.stderr).toContain(
      `The test message to ${TO} was not sent: The mail server refused the message: 550 5.1.1 <ops@acme.example>: no such mailbox here.`,
    )
    expect(smtp.messages).toHaveLength(0)

    smtp.script({ at: 'mail', code: 421, message: '4.7.0 Too busy, try again later' })
    const busy = await asOwner(['email', 'test', '--to', TO, '--json'])
    expect(busy.status).toBe(32)
    expect(busy.json().error).toMatchObject({
      code: 'EMAIL_NOT_SENT',
      reason: 'QUEUED',
      message: expect.stringMatching(
        /is not sent yet \(The mail server asked to try later: 421 4\.7\.0 Too busy/,
      ) as unknown,
      email: { status: 'queued', attempts: 1, to: TO, kind: 'test' },
    })

    // Not due yet (the first retry waits 5 s). Alone, as from cron, --deliver acts for nobody.
    const early = ok(await run(['email', 'outbox', '--deliver', '--json']))
    expect(early.json()).toEqual({ delivered: { sent: 0, retrying: 0, failed: 0 } })
    await sleep(5200)
    const later = ok(await asOwner(['email', 'outbox', '--deliver']))
    expect(later.stdout).toContain('Delivery: 1 sent, 0 to retry later, 0 failed.')
    expect(later.stdout).toMatch(new RegExp(`${TO}\\s+test\\s+sent\\s+2\\s+Test message — Tessera$`, 'm'))
    expect(later.stdout).toMatch(
      new RegExp(
        `${TO}\\s+test\\s+failed\\s+1\\s+Test message — Tessera\\s+The mail server refused the message: 550`,
      ),
    )
    expect(smtp.messages).toHaveLength(1)
    expect(smtp.messages[0]).toMatchObject({ subject: 'Test message — Tessera', secure: true, user: null })
  })

  it('keeps messages in the local outbox by default, and lets only owners change email settings', async () => {
    // No SMTP server set up: the test message is only stored, and nothing touches the network.
    const stored = ok(await asOwner(['email', 'test', '--to', TO, '--json']))
    expect(stored.json()).toMatchObject({ status: 'sent', provider: 'outbox', providerId: null })
    const config = ok(await asOwner(['email', 'config', '--provider', 'outbox']))
    expect(config.stdout).toMatch(/^Email provider {2}outbox \(messages are only stored/)

    const anonymous = await run(['email', 'outbox', '--json'])
    expect(anonymous.status).toBe(2)
    expect(anonymous.json().error).toMatchObject({ reason: 'WHO_ARE_YOU' })
    expect((await asOwner(['email', 'test', '--to', 'not-an-address'])).status).toBe(2)
    expect((await asOwner(['email', 'outbox', '--limit', 'many'])).status).toBe(2)
    expect((await asOwner(['email', 'config', '--provider', 'smtp', '--smtp-port', '99999'])).status).toBe(2)

    // An admin reads the outbox; settings and test messages are the owner's.
    const ADMIN = 'dee.admin@example.com'
    const PASSWORD = 'quiet-orchard-ladder-93'
    const added = ok(
      await asOwner([
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
      ]),
    )
    const code = added.json().invitationCode as string
    ok(await run(['users', 'activate', '--email', ADMIN, '--code', '-'], `${PASSWORD}\n${code}\n`))
    const listed = ok(await run(['email', 'outbox', '--as', ADMIN], `${PASSWORD}\n`))
    expect(listed.stdout).toMatch(new RegExp(`${TO}\\s+test\\s+sent`))
    const forbidden = await run(
      ['email', 'config', '--provider', 'outbox', '--as', ADMIN, '--json'],
      `${PASSWORD}\n`,
    )
    expect(forbidden.status).toBe(9)
    expect(forbidden.json().error).toMatchObject({ code: 'FORBIDDEN' })
    expect((await run(['email', 'test', '--to', TO, '--as', ADMIN], `${PASSWORD}\n`)).status).toBe(9)
  })
})
