import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { fromBase32, totpAt } from '../../src/main/core/totp'
import { tempDir } from '../fixtures/temp'
import {
  allOutput,
  ensureCliBuilt,
  initPassphraseDb,
  openForTampering,
  OWNER_EMAIL,
  OWNER_PASSWORD,
  tessera,
  type CliRun,
} from './helpers'

const NUMBER = '+34612345123'
const MASKED = '+34 ••• ••• 123'

describe('tessera phone and login by SMS', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  let env: NodeJS.ProcessEnv
  const run = (args: string[], input = `${OWNER_PASSWORD}\n`): CliRun =>
    tessera(['--db', db, ...args], { input, env })
  const phoneSet = (number: string, confirm = number, ...extra: string[]) =>
    run(['phone', 'set', '--email', OWNER_EMAIL, '--number', number, '--confirm-number', confirm, ...extra])
  /** The code in the newest outbox message (the local outbox is the provider). */
  const lastCode = async (): Promise<string> => {
    const opened = await openForTampering(db)
    try {
      const body = opened.db
        .prepare('SELECT body FROM sms_outbox ORDER BY id DESC LIMIT 1')
        .pluck()
        .get() as string
      return /\b(\d{6})\b/.exec(body)![1]!
    } finally {
      opened.db.close()
    }
  }
  const enable = async () => {
    const enroll = run(['2fa', 'enroll', '--email', OWNER_EMAIL, '--json'])
    expect(enroll.status, enroll.stderr).toBe(0)
    const secret = fromBase32(enroll.json().secret as string)
    const code = await totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, Date.now())
    const confirm = run(['2fa', 'confirm', '--email', OWNER_EMAIL, '--code', code])
    expect(confirm.status, confirm.stderr).toBe(0)
  }

  beforeAll(ensureCliBuilt)
  beforeEach(() => {
    t = tempDir()
    db = join(t.dir, 'tessera.db')
    env = initPassphraseDb(db)
  })
  afterEach(() => t.cleanup())

  it('sets and verifies the emergency phone', async () => {
    const unconfirmed = phoneSet(NUMBER)
    expect(unconfirmed.status).toBe(2)
    expect(unconfirmed.stderr).toMatch(/--not-authenticator-phone/)
    const mismatch = phoneSet(NUMBER, '+34612345456', '--not-authenticator-phone')
    expect(mismatch.status).toBe(2)
    expect(mismatch.stderr).toMatch(/not the same/)
    const invalid = phoneSet('+34 12', '+34 12', '--not-authenticator-phone')
    expect(invalid.status).toBe(2)
    expect(invalid.stderr).toMatch(/The phone number is not valid/)

    const set = phoneSet('+34 612 345 123', NUMBER, '--not-authenticator-phone', '--json')
    expect(set.status, set.stderr).toBe(0)
    expect(set.json()).toMatchObject({ sent: true, phone: MASKED })
    const code = await lastCode()
    const wrong = code === '000000' ? '111111' : '000000'
    expect(run(['phone', 'verify', '--email', OWNER_EMAIL, '--code', wrong]).status).toBe(19)
    const verify = run(['phone', 'verify', '--email', OWNER_EMAIL, '--code', code, '--json'])
    expect(verify.status, verify.stderr).toBe(0)
    expect(verify.json()).toMatchObject({ email: OWNER_EMAIL, phone: MASKED, verified: true, pending: null })
    const again = run(['phone', 'verify', '--email', OWNER_EMAIL, '--code', code])
    expect(again.status).toBe(24)

    await enable()
    // Changing a verified phone needs the app code.
    const change = phoneSet('+34612345456', '+34612345456', '--not-authenticator-phone')
    expect(change.status).toBe(22)
    expect(change.stderr).toMatch(/authenticator app/)
  })

  it('logs in with --sms and --sms-code, which leaves enrollment of a new authenticator to do', async () => {
    await enable()
    expect(phoneSet(NUMBER, NUMBER, '--not-authenticator-phone').status).toBe(0)
    expect(run(['phone', 'verify', '--email', OWNER_EMAIL, '--code', await lastCode()]).status).toBe(0)

    const wrongPassword = run(['login', '--email', OWNER_EMAIL, '--sms'], 'not the password\n')
    expect(wrongPassword.status).toBe(3)
    const sent = run(['login', '--email', OWNER_EMAIL, '--sms'])
    expect(sent.status, sent.stderr).toBe(0)
    expect(sent.stdout).toContain(`Sent a login code by SMS to ${MASKED}`)
    const code = await lastCode()
    const wrong = code === '000000' ? '111111' : '000000'
    expect(run(['login', '--email', OWNER_EMAIL, '--sms-code', wrong]).status).toBe(19)

    const accepted = run(['login', '--email', OWNER_EMAIL, '--sms-code', code, '--json'])
    expect(accepted.status, accepted.stderr).toBe(0)
    expect(accepted.json()).toMatchObject({
      accepted: true,
      secondFactor: 'sms',
      mustEnroll: true,
      next: `tessera 2fa enroll --email ${OWNER_EMAIL}`,
    })
    // With the authenticator revoked there is nothing left to recover: the code cannot be used again.
    expect(run(['login', '--email', OWNER_EMAIL, '--sms-code', code]).status).toBe(23)
    const status = run(['2fa', 'status', '--email', OWNER_EMAIL, '--json'], '')
    expect(status.json()).toMatchObject({ enrolled: false, backupCodesTotal: 0 })
    await enable()

    // Third code this hour: a fourth is refused.
    expect(run(['login', '--email', OWNER_EMAIL, '--sms']).status).toBe(0)
    const throttled = run(['login', '--email', OWNER_EMAIL, '--sms'])
    expect(throttled.status).toBe(5)
    expect(throttled.stderr).toMatch(/At most 3 SMS codes/)

    const audit = run(['audit', 'export', '--format', 'jsonl'], '')
    expect(audit.stdout).toContain('login.sms_recovery')
    expect(audit.stdout).toContain('2fa.revoked_after_sms_recovery')
    expect(audit.stdout).not.toContain(code)
    expect(audit.stdout).not.toContain('612345123')
    expect(run(['audit', 'verify'], '').status).toBe(0)
    expect(allOutput.join('\n')).not.toContain(code)
  })
})
