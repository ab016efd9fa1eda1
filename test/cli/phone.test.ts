import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fromBase32, totpAt } from '../../src/main/core/totp'
import { startFakeTwilio, type FakeTwilio } from '../fixtures/fake-twilio'
import { tempDir } from '../fixtures/temp'
import { sqlGet } from '../fixtures/sql'
import {
  allOutput,
  AS_OWNER,
  auditEvents,
  ensureCliBuilt,
  initPassphraseDb,
  openForTampering,
  OWNER_EMAIL,
  OWNER_PASSWORD,
  ownerStdin,
  tessera,
  tesseraAsync,
  type CliRun,
  twilioConfigArgs,
} from './helpers'

const NUMBER = '+34612345123'
const MASKED = '+34 ••• ••• 123'

describe('tessera phone and login by SMS', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  let fake: FakeTwilio
  // Runs that send an SMS wait for the fake Twilio, which answers from this process: never block it.
  const run = (args: string[], input = `${OWNER_PASSWORD}\n`): Promise<CliRun> =>
    tesseraAsync(['--db', db, ...args], { input, env })
  const phoneSet = (number: string, confirm = number, ...extra: string[]) =>
    run(['phone', 'set', '--email', OWNER_EMAIL, '--number', number, '--confirm-number', confirm, ...extra])
  /** `--code -`: the password, then the code received by SMS, on stdin. */
  const phoneVerify = (code: string, ...extra: string[]) =>
    run(['phone', 'verify', '--email', OWNER_EMAIL, '--code', '-', ...extra], `${OWNER_PASSWORD}\n${code}\n`)
  const smsLogin = (code: string, ...extra: string[]) =>
    run(['login', '--email', OWNER_EMAIL, '--sms-code', '-', ...extra], `${OWNER_PASSWORD}\n${code}\n`)
  /**
   * The code in the newest message Twilio received. The database no longer has it: once a message is
   * sent, the outbox keeps only its masked text.
   */
  const lastCode = async (): Promise<string> => {
    const message = fake.messages.at(-1)!
    expect(message.to).toBe(NUMBER)
    const code = /\b(\d{6})\b/.exec(message.body)![1]!
    const opened = await openForTampering(db)
    try {
      const stored = (await sqlGet<{ body: string; display_text: string; status: string }>(
        opened.db,
        'SELECT body, display_text, status FROM sms_outbox ORDER BY id DESC LIMIT 1',
      ))!
      expect(stored.status).toBe('sent')
      expect(stored.body).toBe(stored.display_text)
      expect(stored.body).not.toContain(code)
    } finally {
      await opened.db.close()
    }
    return code
  }
  const enable = async () => {
    const enroll = await run(['2fa', 'enroll', '--email', OWNER_EMAIL, '--json'])
    expect(enroll.status, enroll.stderr).toBe(0)
    const secret = fromBase32(enroll.json().secret as string)
    const code = await totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, Date.now())
    const confirm = await run(['2fa', 'confirm', '--email', OWNER_EMAIL, '--code', code])
    expect(confirm.status, confirm.stderr).toBe(0)
  }

  beforeAll(ensureCliBuilt)
  beforeEach(async () => {
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
    fake = await startFakeTwilio()
    // The owner (no 2FA yet) points SMS at the fake: the auth token is the line after their password.
    const config = tessera(['--db', db, ...twilioConfigArgs(fake), ...AS_OWNER], {
      input: ownerStdin(fake.authToken),
      env,
    })
    expect(config.status, config.stderr).toBe(0)
  })
  afterEach(async () => {
    await fake.close()
    t.cleanup()
  })

  it('sets and verifies the emergency phone', async () => {
    const unconfirmed = await phoneSet(NUMBER)
    expect(unconfirmed.status).toBe(2)
    expect(unconfirmed.stderr).toMatch(/--not-authenticator-phone/)
    const mismatch = await phoneSet(NUMBER, '+34612345456', '--not-authenticator-phone')
    expect(mismatch.status).toBe(2)
    expect(mismatch.stderr).toMatch(/not the same/)
    const invalid = await phoneSet('+34 12', '+34 12', '--not-authenticator-phone')
    expect(invalid.status).toBe(2)
    expect(invalid.stderr).toMatch(/The phone number is not valid/)
    expect(fake.messages).toHaveLength(0)

    const set = await phoneSet('+34 612 345 123', NUMBER, '--not-authenticator-phone', '--json')
    expect(set.status, set.stderr).toBe(0)
    expect(set.json()).toMatchObject({ sent: true, phone: MASKED })
    const code = await lastCode()
    const wrong = code === '000000' ? '111111' : '000000'
    // The code never goes in argv.
    const inArgv = await run(['phone', 'verify', '--email', OWNER_EMAIL, '--code', code, '--json'])
    expect(inArgv.status).toBe(2)
    expect(inArgv.json().error).toMatchObject({ reason: 'SECRET_IN_ARGV' })
    expect(inArgv.stdout + inArgv.stderr).not.toContain(code)
    expect((await phoneVerify(wrong)).status).toBe(19)
    const verify = await phoneVerify(code, '--json')
    expect(verify.status, verify.stderr).toBe(0)
    expect(verify.json()).toMatchObject({ email: OWNER_EMAIL, phone: MASKED, verified: true, pending: null })
    const again = await phoneVerify(code)
    expect(again.status).toBe(24)

    await enable()
    // Changing a verified phone needs the app code.
    const change = await phoneSet('+34612345456', '+34612345456', '--not-authenticator-phone')
    expect(change.status).toBe(22)
    expect(change.stderr).toMatch(/authenticator app/)
    expect(fake.messages).toHaveLength(1)
  })

  it('logs in with --sms and --sms-code, which leaves enrollment of a new authenticator to do', async () => {
    await enable()
    expect((await phoneSet(NUMBER, NUMBER, '--not-authenticator-phone')).status).toBe(0)
    expect((await phoneVerify(await lastCode())).status).toBe(0)

    const wrongPassword = await run(['login', '--email', OWNER_EMAIL, '--sms'], 'not the password\n')
    expect(wrongPassword.status).toBe(3)
    const sent = await run(['login', '--email', OWNER_EMAIL, '--sms'])
    expect(sent.status, sent.stderr).toBe(0)
    expect(sent.stdout).toContain(`Sent a login code by SMS to ${MASKED}`)
    expect(sent.stdout).toContain('--sms-code -')
    const code = await lastCode()
    const wrong = code === '000000' ? '111111' : '000000'
    const inArgv = await run(['login', '--email', OWNER_EMAIL, '--sms-code', code])
    expect(inArgv.status).toBe(2)
    expect(inArgv.stderr).toMatch(/never taken from the command line/)
    expect(inArgv.stderr).not.toContain(code)
    expect((await smsLogin(wrong)).status).toBe(19)

    const accepted = await smsLogin(code, '--json')
    expect(accepted.status, accepted.stderr).toBe(0)
    expect(accepted.json()).toMatchObject({
      accepted: true,
      secondFactor: 'sms',
      mustEnroll: true,
      next: `tessera 2fa enroll --email ${OWNER_EMAIL}`,
    })
    // With the authenticator revoked there is nothing left to recover: the code cannot be used again.
    expect((await smsLogin(code)).status).toBe(23)
    const status = await run(['2fa', 'status', '--email', OWNER_EMAIL, '--json'], '')
    expect(status.json()).toMatchObject({ enrolled: false, backupCodesTotal: 0 })
    await enable()

    // Third code this hour: a fourth is refused.
    expect((await run(['login', '--email', OWNER_EMAIL, '--sms'])).status).toBe(0)
    const throttled = await run(['login', '--email', OWNER_EMAIL, '--sms'])
    expect(throttled.status).toBe(5)
    expect(throttled.stderr).toMatch(/At most 3 SMS codes/)
    expect(fake.messages.map((m) => m.to)).toEqual([NUMBER, NUMBER, NUMBER])

    const audit = JSON.stringify(auditEvents(db, env))
    expect(audit).toContain('login.sms_recovery')
    expect(audit).toContain('2fa.revoked_after_sms_recovery')
    expect(audit).not.toContain(code)
    expect(audit).not.toContain('612345123')
    expect((await run(['audit', 'verify'], '')).status).toBe(0)
    expect(allOutput.join('\n')).not.toContain(code)
  })
})
