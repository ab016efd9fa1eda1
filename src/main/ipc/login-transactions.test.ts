import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { connectPhones, type Phones } from '../../../test/fixtures/phones'
import { sqlValue } from '../../../test/fixtures/sql'
import type { BackupCodesDto, EnrollmentStartDto } from '../../shared/dto'
import type { Result } from '../../shared/result'
import { fromBase32, totpAt } from '../core/totp'

type Harness = Awaited<ReturnType<typeof startBackend>>
const codeOf = (r: Result<unknown>) => (r.ok ? 'OK' : r.error.code)
const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}
const WRONG = { email: OWNER.email, password: 'definitely-not-her-password' }

// Each login step writes its outcome — the attempt counted or cleared, a lock, the audit events, the
// sign-in — in one write transaction, after Argon2 and outside it: with synchronous=FULL every commit is an
// fsync, and on a team database every write transaction holds the write lock every console waits for.
describe('write transactions per login step, through the gate', () => {
  let h: Harness
  let phones: Phones
  let secret: Uint8Array
  let backupCodes: string[]
  const appCode = (offsetSteps = 0) =>
    totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now() + offsetSteps * 30_000)
  const messages = async () =>
    Number(
      await sqlValue(
        h.backend.services().db,
        'SELECT (SELECT count(*) FROM sms_outbox) + (SELECT count(*) FROM email_outbox)',
      ),
    )
  /**
   * The step's answer and how many write transactions it began, apart from those of the messages it
   * queued: a notice is tried after the step's commit, claimed in one transaction and its outcome recorded
   * in another, so that no network call holds the write lock.
   */
  const counted = async (method: string, input: object = {}) => {
    const db = h.backend.services().db
    const [before, queuedBefore] = [db.transactionsBegun, await messages()]
    const result = await h.call(method, input)
    const delivery = 2 * ((await messages()) - queuedBefore)
    return { code: codeOf(result), transactions: db.transactionsBegun - before - delivery }
  }

  beforeEach(async () => {
    h = await startBackend()
    await h.setup()
    phones = await connectPhones(h.backend)
    const start = value<EnrollmentStartDto>(
      await h.call('twoFactor.startEnrollment', { password: OWNER.password }),
    )
    secret = fromBase32(start.manualKey)
    backupCodes = value<BackupCodesDto>(
      await h.call('twoFactor.confirmEnrollment', { code: await appCode() }),
    ).backupCodes
    value(
      await h.call('phone.start', {
        number: '+34612345123',
        numberConfirm: '+34612345123',
        notAuthenticatorPhone: true,
        password: OWNER.password,
      }),
    )
    value(await h.call('phone.verify', { code: phones.lastCode() }))
    value(await h.call('policy.update', { failuresBeforeLock: 5 }))
    value(await h.call('auth.logout'))
    h.clock.advance(30_000)
  })
  afterEach(async () => {
    await h.cleanup()
    await phones.close()
  })

  it('the password step: right, wrong, unknown email, throttled', async () => {
    expect(await counted('auth.login', OWNER)).toEqual({ code: 'OK', transactions: 1 })
    value(await h.call('auth.logout'))
    expect(await counted('auth.login', WRONG)).toEqual({ code: 'INVALID_CREDENTIALS', transactions: 1 })
    expect(await counted('auth.login', { ...WRONG, email: 'nobody@example.com' })).toEqual({
      code: 'INVALID_CREDENTIALS',
      transactions: 1,
    })
    await h.call('auth.login', WRONG)
    await h.call('auth.login', WRONG)
    expect(await counted('auth.login', OWNER)).toEqual({ code: 'THROTTLED', transactions: 1 })
  })

  it('the password step that locks the account', async () => {
    for (let i = 0; i < 4; i++) {
      expect(codeOf(await h.call('auth.login', WRONG))).toBe('INVALID_CREDENTIALS')
      h.clock.advance(60_000)
    }
    expect(await counted('auth.login', WRONG)).toEqual({ code: 'ACCOUNT_LOCKED', transactions: 1 })
    expect(await counted('auth.login', OWNER)).toEqual({ code: 'ACCOUNT_LOCKED', transactions: 1 })
  })

  it('the second factor: app code, wrong code, replayed code', async () => {
    value(await h.call('auth.login', OWNER))
    const code = await appCode()
    expect(await counted('auth.verifySecondFactor', { code: await appCode(5) })).toEqual({
      code: 'INVALID_CODE',
      transactions: 1,
    })
    expect(await counted('auth.verifySecondFactor', { code })).toEqual({ code: 'OK', transactions: 1 })
    value(await h.call('auth.logout'))
    value(await h.call('auth.login', OWNER))
    expect(await counted('auth.verifySecondFactor', { code })).toEqual({
      code: 'CODE_REPLAYED',
      transactions: 1,
    })
  })

  it('the second factor: backup code, wrong backup code', async () => {
    value(await h.call('auth.login', OWNER))
    expect(await counted('auth.verifySecondFactor', { backupCode: 'ABCDE-FGHJK' })).toEqual({
      code: 'INVALID_CODE',
      transactions: 1,
    })
    expect(await counted('auth.verifySecondFactor', { backupCode: backupCodes[0] })).toEqual({
      code: 'OK',
      transactions: 1,
    })
  })

  it('the SMS login code: wrong, then right', async () => {
    value(await h.call('auth.login', OWNER))
    value(await h.call('auth.sendSmsCode'))
    const code = phones.lastCode()
    const wrong = code === '000000' ? '111111' : '000000'
    expect(await counted('auth.verifySmsCode', { code: wrong })).toEqual({
      code: 'INVALID_CODE',
      transactions: 1,
    })
    expect(await counted('auth.verifySmsCode', { code })).toEqual({ code: 'OK', transactions: 1 })
  })
})
