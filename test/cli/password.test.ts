import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/main/adapters/clock'
import { toSessionUser } from '../../src/main/core/auth'
import { PasswordPolicy } from '../../src/main/core/passwords'
import { buildServices, type Services } from '../../src/main/core/services'
import { fromBase32, totpAt } from '../../src/main/core/totp'
import { listActiveOwners } from '../../src/main/db/queries/users'
import type { Role } from '../../src/shared/schemas'
import { fakeSmtpUnavailable, startFakeSmtp, type FakeSmtp, type ReceivedMail } from '../fixtures/fake-smtp'
import { tempDir } from '../fixtures/temp'
import {
  allOutput,
  AS_OWNER,
  DB_PASSPHRASE,
  ensureCliBuilt,
  initPassphraseDb,
  openForTampering,
  OWNER_PASSWORD,
  ownerStdin,
  tesseraAsync,
  type CliRun,
} from './helpers'

const PASSWORD = 'a long and private passphrase 7'
const NEW_PASSWORD = 'brand new garden lantern 42'
const NEWER_PASSWORD = 'another quiet river stone 58'
/** An invitation or reset code as an email carries it: 26 symbols in groups of five. */
const CODE = /[2-9A-HJ-NP-Z]{5}(?:-[2-9A-HJ-NP-Z]{1,5})+/
const STEP_MS = 30_000

const unavailable = fakeSmtpUnavailable()

/**
 * The real clock runs on during a sequence of CLI runs; starting with at least `seconds` left in the
 * current 30 s step keeps a step boundary from passing between the runs that depend on it.
 */
async function waitForRoomInStep(seconds = 12): Promise<void> {
  const left = STEP_MS - (Date.now() % STEP_MS)
  if (left < seconds * 1000) await sleep(left + 200)
}

describe.skipIf(unavailable !== undefined)('tessera password, and invitations by email', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  let smtp: FakeSmtp
  // The fake SMTP server answers from this process: every run must leave its event loop free.
  const run = (args: string[], input = ''): Promise<CliRun> =>
    tesseraAsync(['--db', db, ...args], { input, env })
  const asOwner = (args: string[], ...lines: string[]) => run([...args, ...AS_OWNER], ownerStdin(...lines))
  const ok = (r: CliRun): CliRun => {
    expect(r.status, r.stderr || r.stdout).toBe(0)
    return r
  }
  const configureSmtp = async () =>
    ok(
      await asOwner([
        'email',
        'config',
        '--provider',
        'smtp',
        '--smtp-host',
        smtp.host,
        '--smtp-port',
        String(smtp.port),
        '--tls',
        'starttls',
        '--from',
        'it@acme.example',
      ]),
    )
  /** The messages the fake server received for `to`, whose subject starts with `subject`. */
  const mailTo = (to: string, subject: string): ReceivedMail[] =>
    smtp.messages.filter((m) => m.envelope.to.includes(to) && m.subject.startsWith(subject))
  const codeIn = (mail: ReceivedMail | undefined): string => CODE.exec(mail?.text ?? '')?.[0] ?? ''
  const resetWith = (email: string, code: string, password: string, again = password) =>
    run(['password', 'forgot', '--email', email, '--code', '-'], `${code}\n${password}\n${again}\n`)

  /** Prepares people in this process, the way an administrator's earlier sessions would have left them. */
  async function withServices<T>(fn: (s: Services) => Promise<T> | T): Promise<T> {
    const services = buildServices(await openForTampering(db), {
      clock: systemClock,
      passwordPolicy: new PasswordPolicy(new Set()),
    })
    try {
      return await fn(services)
    } finally {
      await services.close()
    }
  }
  /** Invited by the owner (while email stays in the local outbox) and activated, without 2FA. */
  const addPerson = (role: Role, email: string, name: string) =>
    withServices(async (s) => {
      const owner = toSessionUser((await listActiveOwners(s.db))[0]!)
      const client = { via: 'cli' as const, machine: 'test-setup' }
      const inv = await s.users.create({ email, name, role, requireTwoFactor: false }, owner, client)
      await s.users.activate(email, inv.code!, PASSWORD, client)
    })

  beforeAll(ensureCliBuilt)
  beforeEach(async () => {
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    smtp = await startFakeSmtp({ tls: 'starttls' })
    const caFile = join(t.dir, 'smtp-ca.pem')
    writeFileSync(caFile, smtp.ca)
    env = { ...initPassphraseDb(db), TESSERA_SMTP_CA_FILE: caFile }
  })
  afterEach(async () => {
    await smtp.close()
    t.cleanup()
  })
  afterAll(() => {
    for (const out of allOutput) {
      for (const secret of [PASSWORD, NEW_PASSWORD, NEWER_PASSWORD, OWNER_PASSWORD, DB_PASSPHRASE]) {
        expect(out).not.toContain(secret)
      }
    }
  })

  it('emails the invitation, activates with its code, resets a forgotten password with an emailed code once, and changes it; 2FA stays', async () => {
    const MIA = 'mia@example.com'
    await configureSmtp()

    // The invitation goes by email: no code on the screen, or in --json.
    const added = ok(
      await asOwner([
        'users',
        'add',
        '--email',
        MIA,
        '--name',
        'Mia Member',
        '--role',
        'member',
        '--require-2fa',
      ]),
    )
    expect(added.stdout).toContain(`Invitation sent by email to ${MIA}; the code in it works once`)
    expect(added.stdout).not.toMatch(CODE)
    expect(added.stdout).not.toContain('null')
    const first = codeIn(mailTo(MIA, 'Your invitation to Tessera')[0])
    expect(first).toMatch(CODE)
    const again = ok(await asOwner(['users', 'invite', '--email', MIA, '--json']))
    expect(again.json()).toMatchObject({
      email: MIA,
      invitationCode: null,
      emailedTo: MIA,
      emailStatus: 'sent',
      emailError: null,
    })
    const invitations = mailTo(MIA, 'Your invitation to Tessera')
    expect(invitations).toHaveLength(2)
    expect(invitations[1]!.text).toContain(`Ada Lovelace invited you to sign in`)
    const code = codeIn(invitations[1])
    expect(code).not.toBe(first)

    // The outbox lists the messages with their codes masked.
    const outbox = ok(await asOwner(['email', 'outbox', '--json'])).stdout
    expect(outbox).toContain('Your invitation code: ••••-••••')
    expect(outbox).not.toContain(code)
    expect(outbox).not.toContain(first)
    expect(ok(await asOwner(['email', 'outbox'])).stdout).toMatch(
      new RegExp(`${MIA}\\s+invitation\\s+sent\\s+1\\s+Your invitation to Tessera`),
    )

    // The first code was replaced; the one in the newest email activates.
    expect(
      (await run(['users', 'activate', '--email', MIA, '--code', '-'], `${PASSWORD}\n${first}\n`)).status,
    ).toBe(3)
    ok(await run(['users', 'activate', '--email', MIA, '--code', '-'], `${PASSWORD}\n${code}\n`))
    const enroll = ok(await run(['2fa', 'enroll', '--email', MIA, '--json'], `${PASSWORD}\n`))
    const secret = fromBase32(enroll.json().secret as string)
    // Each app code below belongs to a later 30 s step than the one before (a step is used once).
    const appCode = (step: -1 | 0 | 1) =>
      totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, Date.now() + step * STEP_MS)
    await waitForRoomInStep()
    ok(await run(['2fa', 'confirm', '--email', MIA, '--code', await appCode(-1)], `${PASSWORD}\n`))

    // "Forgot password?": the same answer for an address with an account and one without.
    const known = ok(await run(['password', 'forgot', '--email', MIA]))
    const unknown = ok(await run(['password', 'forgot', '--email', 'ghost@example.com', '--json']))
    expect(unknown.json()).toEqual({
      message: expect.stringContaining('ghost@example.com') as unknown,
      emailDelivered: true,
    })
    const message = unknown.json().message as string
    expect(known.stdout.split('\n')[0]).toBe(message.replace('ghost@example.com', MIA))
    expect(message).toMatch(/^If an account uses ghost@example\.com, a reset code is on its way to it\./)
    expect(known.stdout).toContain(`tessera password forgot --email ${MIA} --code -`)
    expect(smtp.messages.filter((m) => m.envelope.to.includes('ghost@example.com'))).toHaveLength(0)
    const resets = mailTo(MIA, 'Reset your password')
    expect(resets).toHaveLength(1)
    expect(resets[0]!.text).toContain('Someone (we hope you) asked to reset the password of your account.')
    const resetCode = codeIn(resets[0])
    expect(resetCode).toMatch(CODE)

    // The code only on stdin; the new password twice, the same.
    const inArgv = await run(['password', 'forgot', '--email', MIA, '--code', resetCode, '--json'])
    expect(inArgv.status).toBe(2)
    expect(inArgv.json().error).toMatchObject({ reason: 'SECRET_IN_ARGV' })
    expect(inArgv.stdout).not.toContain(resetCode)
    const differ = await resetWith(MIA, resetCode, NEW_PASSWORD, NEWER_PASSWORD)
    expect(differ.status).toBe(2)
    expect(differ.stderr).toContain('The two new passwords are not the same; nothing was changed.')
    const weak = await resetWith(MIA, resetCode, 'tiny-pw-9')
    expect(weak.status).toBe(6)

    const reset = ok(await resetWith(MIA, resetCode, NEW_PASSWORD))
    expect(reset.stdout).toContain(`The password of ${MIA} was changed; every session was signed out.`)
    expect(reset.stdout).toContain('signing in still takes the app code (or a backup code)')
    expect(mailTo(MIA, 'Your password was reset')).toHaveLength(1)
    const reused = await resetWith(MIA, resetCode, NEWER_PASSWORD)
    expect(reused.status).toBe(19)
    expect(reused.stderr).toContain('This reset code is not correct, or it has expired or was already used.')

    // The new password signs in, and still needs the app code.
    expect((await run(['login', '--email', MIA], `${PASSWORD}\n`)).status).toBe(3)
    expect((await run(['login', '--email', MIA], `${NEW_PASSWORD}\n`)).status).toBe(22)
    ok(await run(['login', '--email', MIA, '--code', await appCode(0)], `${NEW_PASSWORD}\n`))

    // Changing it: the current password, the app code, the new one twice.
    const change = (current: string, code: string) =>
      run(['password', 'change', '--as', MIA], `${current}\n${code}\n${NEWER_PASSWORD}\n${NEWER_PASSWORD}\n`)
    const wrong = await change(PASSWORD, await appCode(1))
    expect(wrong.status).toBe(3)
    expect(wrong.stderr).toContain('The password is not correct.')
    const noCode = await run(['password', 'change', '--as', MIA], `${NEW_PASSWORD}\n`)
    expect(noCode.status).toBe(22)
    const changed = ok(await change(NEW_PASSWORD, await appCode(1)))
    expect(changed.stdout).toContain(`Changed the password of ${MIA}. Every other session was signed out`)
    const notice = mailTo(MIA, 'Your password was changed')
    expect(notice).toHaveLength(1)
    expect(notice[0]!.text).toContain('The password of your account was changed.')
    expect((await run(['login', '--email', MIA], `${NEWER_PASSWORD}\n`)).status).toBe(22)
  }, 180_000)

  it("resets someone's password: the code by email, or shown once with the outbox; an admin's needs two approvers", async () => {
    await addPerson('member', 'mia@example.com', 'Mia')
    await addPerson('admin', 'dee@example.com', 'Dee')
    await addPerson('admin', 'eve@example.com', 'Eve')
    await configureSmtp()

    const emailed = ok(await asOwner(['password', 'reset', '--email', 'mia@example.com']))
    expect(emailed.stdout).toMatch(
      /^Sent a password reset code by email to mia@example\.com \(Mia <mia@example\.com>\); it works once, until \d{4}-/,
    )
    expect(emailed.stdout).toContain('tessera password forgot --email mia@example.com --code -')
    expect(emailed.stdout).not.toMatch(CODE)
    const mail = mailTo('mia@example.com', 'Reset your password')
    expect(mail).toHaveLength(1)
    expect(mail[0]!.text).toContain('Ada Lovelace started a password reset for your account.')
    const emailedCode = codeIn(mail[0])

    // Without email (the local outbox), nobody can be sent a code: it is shown once, to the admin.
    ok(await asOwner(['email', 'config', '--provider', 'outbox']))
    const forgot = ok(await run(['password', 'forgot', '--email', 'mia@example.com', '--json']))
    expect(forgot.json()).toMatchObject({
      emailDelivered: false,
      message: expect.stringMatching(/does not send email yet.*Ask an administrator/) as unknown,
    })
    const shown = ok(
      await run(
        ['password', 'reset', '--email', 'mia@example.com', '--as', 'dee@example.com'],
        `${PASSWORD}\n`,
      ),
    )
    const code = new RegExp(`^ {2}(${CODE.source})$`, 'm').exec(shown.stdout)?.[1] ?? ''
    expect(code).toMatch(CODE)
    expect(shown.stdout).toContain('It will never be shown again.')
    // The emailed code was replaced by the new one.
    expect((await resetWith('mia@example.com', emailedCode, NEW_PASSWORD)).status).toBe(19)
    const done = ok(await resetWith('mia@example.com', code, NEW_PASSWORD, NEW_PASSWORD))
    expect(done.stdout).toContain('Sign in with it:')
    ok(await run(['login', '--email', 'mia@example.com'], `${NEW_PASSWORD}\n`))

    // An admin's password: one admin alone cannot; a recovery request waits for two approvers.
    const pending = ok(
      await run(
        ['password', 'reset', '--email', 'dee@example.com', '--as', 'eve@example.com', '--json'],
        `${PASSWORD}\n`,
      ),
    )
    expect(pending.json()).toEqual({ email: 'dee@example.com', outcome: 'pending', requestId: 1 })
    const text = ok(
      await run(
        ['password', 'reset', '--email', 'dee@example.com', '--as', 'eve@example.com'],
        `${PASSWORD}\n`,
      ),
    )
    expect(text.stdout).toContain(
      'Dee <dee@example.com> is an admin: one person cannot reset their password.',
    )
    expect(text.stdout).toContain('Recovery request #1 now waits for identity checks and two approvers')
    // A member resets nobody's password; nobody resets their own this way.
    expect(
      (
        await run(
          ['password', 'reset', '--email', 'dee@example.com', '--as', 'mia@example.com'],
          `${NEW_PASSWORD}\n`,
        )
      ).status,
    ).toBe(9)
    expect(
      (
        await run(
          ['password', 'reset', '--email', 'dee@example.com', '--as', 'dee@example.com'],
          `${PASSWORD}\n`,
        )
      ).status,
    ).toBe(9)
    expect((await asOwner(['password', 'reset', '--email', 'nobody@example.com'])).status).toBe(24)
  }, 180_000)
})
