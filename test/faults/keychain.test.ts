import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { SmsConfigDto, SmsOutboxEntryDto } from '../../src/shared/dto'
import type { Result } from '../../src/shared/result'
import { COMMON_PASSWORDS } from '../fixtures/backend'
import { bundleScript } from '../fixtures/bundle'
import { onPostgres } from '../fixtures/engine'
import { startFakeTwilio, type FakeTwilio } from '../fixtures/fake-twilio'
import { OWNER } from '../fixtures/harness'
import { tempDir } from '../fixtures/temp'
import { baseEnv, ensureCliBuilt, tessera } from '../cli/helpers'
import type { ConsoleCommand } from './keychain-console'
import { startPrivateKeyring, type PrivateKeyring } from './keychain-session'

/**
 * The OS keychain goes away while a console has a keychain-protected database open (the keyring daemon
 * stops or crashes), then comes back. The real gnome-keyring on a D-Bus session of the test's own; the
 * console is a process of its own on that session (keytar talks to its own process's bus).
 *
 * What people see: messages keep going out with the token read earlier; what needs the keychain says
 * plainly that it cannot be reached and changes nothing; a message that needs the token waits in the
 * outbox and goes out once the keychain is back, in the same console, without a restart.
 */
const TO = '+34612345678'
// Another number for the second test: the fake Twilio is shared, and a retry asks it what it already took.
const OTHER = '+34612345679'
const UNREACHABLE =
  'The OS keychain cannot be reached (it keeps the Twilio auth token): the message waits and goes out once the keychain is back'

interface Console {
  send<T = unknown>(command: ConsoleCommand): Promise<T>
  call<T = unknown>(method: string, input?: unknown): Promise<Result<T>>
  stop(): Promise<void>
}

describe.skipIf(onPostgres)('the keychain going away mid-session', () => {
  let keyring: PrivateKeyring
  let twilio: FakeTwilio
  let consoleScript: string
  const work = tempDir('tessera-keychain-')
  const service = `Tessera-test-${randomUUID()}`
  const running: Console[] = []

  beforeAll(async () => {
    ;[keyring, twilio, consoleScript] = await Promise.all([
      startPrivateKeyring(work.dir),
      startFakeTwilio(),
      bundleScript(join(import.meta.dirname, 'keychain-console.ts'), 'keychain-console'),
      ensureCliBuilt(),
    ])
  }, 120_000)
  afterEach(async () => {
    for (const c of running.splice(0)) await c.stop()
    if (!keyring.running()) await keyring.start()
  })
  afterAll(async () => {
    await keyring?.close()
    await twilio?.close()
    work.cleanup()
  })

  async function startConsole(dir: string, mode: 'create' | 'open'): Promise<Console> {
    const child: ChildProcessWithoutNullStreams = spawn(
      process.execPath,
      [consoleScript, dir, mode, service, COMMON_PASSWORDS, JSON.stringify(OWNER)],
      { env: keyring.env },
    )
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
    const next = async (): Promise<unknown> => {
      const line = await lines.next()
      if (line.done) throw new Error(`the console ended: ${stderr}`)
      return JSON.parse(line.value as string)
    }
    expect(await next()).toEqual({ ready: true })
    const send = async <T>(command: ConsoleCommand): Promise<T> => {
      child.stdin.write(`${JSON.stringify(command)}\n`)
      const answer = (await next()) as { ok: boolean; value?: T; error?: string }
      if (!answer.ok) throw new Error(answer.error)
      return answer.value as T
    }
    const c: Console = {
      send,
      call: (method, input = {}) => send({ do: 'call', method, input }),
      stop: async () => {
        child.stdin.end()
        if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve))
      },
    }
    running.push(c)
    return c
  }

  /** A console on a new keychain database with Twilio set up against the fake. */
  async function consoleWithTwilio(): Promise<{ app: Console; dir: string; dbPath: string }> {
    const dir = join(work.dir, randomUUID())
    const app = await startConsole(dir, 'create')
    const configured = await app.call<SmsConfigDto>('sms.configure', {
      provider: 'twilio',
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+15005550006',
      apiBaseUrl: twilio.baseUrl,
    })
    expect(configured).toMatchObject({ ok: true, value: { authTokenSet: true, authTokenStore: 'keychain' } })
    return { app, dir, dbPath: join(dir, 'tessera.db') }
  }

  /** The CLI, a new process on the private session: it reaches the keychain as it is now. */
  const cliEnv = () =>
    baseEnv({
      DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS,
      XDG_DATA_HOME: keyring.env.XDG_DATA_HOME,
      TESSERA_KEYCHAIN_SERVICE: service,
    })
  const cli = (dbPath: string, ...args: string[]) => tessera(['--db', dbPath, ...args], { env: cliEnv() })
  const sentTo = () => twilio.messages.map((m) => m.to)

  it('keeps sending with the token it read; saving a secret fails plainly, changes nothing, and works once the keychain is back', async () => {
    const { app, dbPath } = await consoleWithTwilio()
    const sent = twilio.messages.length
    expect(await app.call('sms.sendTest', { to: TO })).toMatchObject({
      ok: true,
      value: { status: 'sent' },
    })
    const smsBefore = await app.send<string>({ do: 'setting', key: 'sms' })

    await keyring.stop()
    // The token read a moment ago is still known: the message goes out.
    expect(await app.call('sms.sendTest', { to: TO })).toMatchObject({
      ok: true,
      value: { status: 'sent' },
    })
    expect(twilio.messages.length).toBe(sent + 2)

    // A new token cannot be kept: the change is refused as a whole.
    const newToken = await app.call('sms.configure', {
      provider: 'twilio',
      authToken: 'a-new-token-0000000000000000000000',
      from: '+15005550007',
    })
    expect(newToken).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(!newToken.ok && newToken.error.message).toBe(
      'The Twilio auth token cannot be stored: The OS keychain is not available: no keyring (Secret Service) is running on this D-Bus session. Nothing was changed: save again once the keychain is back.',
    )
    const smtp = await app.call('email.configure', {
      provider: 'smtp',
      host: '127.0.0.1',
      port: 2525,
      tls: 'none',
      user: 'tessera',
      password: 'smtp relay password 4471',
      from: 'Example IT <it@example.com>',
    })
    expect(!smtp.ok && smtp.error.message).toMatch(
      /^The SMTP password cannot be stored: .*Nothing was changed/,
    )
    expect(await app.send({ do: 'setting', key: 'sms' })).toBe(smsBefore)
    expect(await app.send({ do: 'setting', key: 'email' })).toBeNull()
    expect(await app.call('sms.getConfig')).toMatchObject({
      ok: true,
      value: { from: '+15005550006', authTokenSet: true },
    })

    // Another process cannot open the database meanwhile, and says why.
    const status = cli(dbPath, 'status', '--json')
    expect(status.status).toBe(13)
    expect(status.json()).toMatchObject({
      error: {
        reason: 'KEYCHAIN_UNAVAILABLE',
        message: expect.stringMatching(
          /^The OS keychain is not available: no keyring \(Secret Service\) is running on this D-Bus session\./,
        ) as unknown,
      },
    })
    // Nor can a new keychain database be made: nothing is left behind.
    const fresh = tempDir('tessera-keychain-init-')
    const init = tessera(
      ['--db', join(fresh.dir, 'new.db'), 'init', '--owner-email', 'ada@example.com', '--owner-name', 'Ada'],
      { input: 'Tessera-Owner-Pw-4821\n', env: cliEnv() },
    )
    expect(init.status).toBe(13)
    expect(init.stderr).toMatch(/keychain is not available/)
    expect(readdirSync(fresh.dir)).toEqual([])
    fresh.cleanup()

    await keyring.start()
    // The same console, without a restart: the new token is kept now, and messages go out with it.
    expect(
      await app.call('sms.configure', {
        provider: 'twilio',
        authToken: twilio.authToken,
        from: '+15005550007',
      }),
    ).toMatchObject({ ok: true, value: { from: '+15005550007', authTokenSet: true } })
    expect(await app.call('sms.sendTest', { to: TO })).toMatchObject({
      ok: true,
      value: { status: 'sent' },
    })
    expect(twilio.messages.at(-1)).toMatchObject({ to: TO, from: '+15005550007' })
    expect(cli(dbPath, 'status', '--json').status).toBe(0)
  }, 30_000)

  it('a console that never read the token: the message waits, saying why, and goes out once when the keychain is back', async () => {
    const created = await consoleWithTwilio()
    await created.app.stop()
    // As after a restart: the database key read from the keychain, the Twilio token not yet.
    const app = await startConsole(created.dir, 'open')
    const before = sentTo().length

    await keyring.stop()
    const queued = await app.send<SmsOutboxEntryDto>({ do: 'sendTest', to: OTHER })
    expect(queued).toMatchObject({ status: 'queued', attempts: 1, lastError: UNREACHABLE })
    await app.send({ do: 'advance', ms: 10_000 })
    expect(await app.send({ do: 'deliver' })).toEqual({ sent: 0, retrying: 1, failed: 0 })
    expect(sentTo().length).toBe(before)

    await keyring.start()
    await app.send({ do: 'advance', ms: 60_000 })
    expect(await app.send({ do: 'deliver' })).toEqual({ sent: 1, retrying: 0, failed: 0 })
    await app.send({ do: 'advance', ms: 3_600_000 })
    expect(await app.send({ do: 'deliver' })).toEqual({ sent: 0, retrying: 0, failed: 0 })
    expect(sentTo().slice(before)).toEqual([OTHER])
    const page = await app.send<{ messages: SmsOutboxEntryDto[] }>({ do: 'outbox' })
    expect(page.messages[0]).toMatchObject({ id: queued.id, status: 'sent', attempts: 3, lastError: null })
  }, 30_000)
})
