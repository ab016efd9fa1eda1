import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { codeOf, value } from '../fixtures/results'
import { startWorld, type Person, type World } from './world'

// Attack: after an SMS or access-code recovery, or an admin reset, an account whose 2FA is not
// "required" became password-only at its next login ("must enroll" lived only in the session).
// Rule 6: revoking an authenticator sets a stored flag; until a new authenticator is confirmed the
// account can only enroll, on any machine, whatever require_2fa says.
describe('"must enroll" after a revoked authenticator is stored', () => {
  let w: World
  let mia: Person
  beforeEach(async () => {
    w = await startWorld()
    mia = await w.addPerson(w.owner, 'member', 'mia@example.com', {
      phone: '+34612345123',
      requireTwoFactor: false,
    })
  })
  afterEach(() => w.cleanup())

  /** Password only, on a console of its own: what the login asks next. */
  const nextLogin = async (client: string) => {
    value(await w.h.call('auth.login', { email: mia.email, password: mia.password }, client))
    return value<{ phase: string }>(await w.h.call('session.state', {}, client)).phase
  }

  it('after the SMS login, walking away and signing in again still leads only to enrollment', async () => {
    value(await w.as(mia, 'auth.login', { email: mia.email, password: mia.password }))
    value(await w.as(mia, 'auth.sendSmsCode'))
    value(await w.as(mia, 'auth.verifySmsCode', { code: w.lastSmsCode() }))
    value(await w.as(mia, 'auth.logout'))
    expect(await nextLogin('another-pc')).toBe('enroll-required')
    expect(codeOf(await w.h.call('users.list', {}, 'another-pc'))).not.toBe('OK')
    expect(
      codeOf(
        await w.h.call(
          'twoFactor.regenerateBackupCodes',
          { password: mia.password, code: '123456' },
          'another-pc',
        ),
      ),
    ).toBe('ENROLLMENT_REQUIRED')
  })

  it('after an admin reset', async () => {
    value(await w.as(w.owner, 'users.resetTwoFactor', { userId: mia.id }))
    expect((await w.detail(w.owner, mia.id)).mustEnroll).toBe(true)
    expect(await nextLogin('mia-pc-2')).toBe('enroll-required')
  })

  it('after a temporary access code from support', async () => {
    const code = await w.recoverThroughSupport(mia)
    value(await w.as(mia, 'auth.login', { email: mia.email, password: mia.password }))
    value(await w.as(mia, 'auth.verifyAccessCode', { code }))
    value(await w.as(mia, 'auth.logout'))
    expect(await nextLogin('mia-pc-3')).toBe('enroll-required')
  })

  it('ends once a new authenticator is confirmed', async () => {
    value(await w.as(w.owner, 'users.resetTwoFactor', { userId: mia.id }))
    expect(await nextLogin(mia.client)).toBe('enroll-required')
    await w.enroll(mia)
    expect((await w.detail(w.owner, mia.id)).mustEnroll).toBe(false)
    value(await w.as(mia, 'auth.logout'))
    expect(await nextLogin('mia-pc-4')).toBe('second-factor')
    await w.assertIntact()
  })
})
