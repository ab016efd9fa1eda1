import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InvitationDto, SmsOutboxEntryDto } from '../../src/shared/dto'
import { startBackend } from '../fixtures/harness'
import { codeOf, value } from '../fixtures/results'
import { startWorld, type World } from './world'

// Rule 9 (NIST SP 800-63B rev. 4, AAL2): a password that is the only thing between an attacker and the
// account is at least 15 characters; 12 stay the minimum where 2FA is on or required; the list of
// common passwords is still checked.
describe('password length follows what else protects the account', () => {
  it('asks the first owner, who signs in with the password alone, for 15 characters', async () => {
    const h = await startBackend()
    try {
      const setUp = (password: string) =>
        h.call('setup.createOwner', {
          email: 'olivia@example.com',
          name: 'Olivia',
          password,
          keyStore: 'passphrase',
          passphrase: 'database passphrase for tests',
        })
      const short = await setUp('fourteen-chars')
      expect(codeOf(short)).toBe('WEAK_PASSWORD')
      if (!short.ok) expect(short.error.message).toMatch(/15 characters/)
      const ok = await setUp('fifteen-chars-x')
      expect(codeOf(ok)).toBe('OK')
    } finally {
      await h.cleanup()
    }
  })

  describe('at activation', () => {
    let w: World
    beforeEach(async () => {
      w = await startWorld()
    })
    afterEach(() => w.cleanup())

    const invite = async (email: string, requireTwoFactor: boolean) =>
      value<InvitationDto>(
        await w.as(w.owner, 'users.create', { email, name: 'Someone', role: 'member', requireTwoFactor }),
      )

    it('takes 12 characters when 2FA is required (and there is no grace period)', async () => {
      const inv = await invite('req@example.com', true)
      const r = await w.h.call(
        'auth.activate',
        { email: 'req@example.com', code: inv.code, password: 'twelve-chars' },
        'c1',
      )
      expect(codeOf(r)).toBe('OK')
    })

    it('asks for 15 when the account could sign in with its password alone', async () => {
      const inv = await invite('free@example.com', false)
      const short = await w.h.call(
        'auth.activate',
        { email: 'free@example.com', code: inv.code, password: 'twelve-chars' },
        'c2',
      )
      expect(codeOf(short)).toBe('WEAK_PASSWORD')
      value(await w.as(w.owner, 'policy.update', { gracePeriodDays: 7 }))
      const graced = await invite('graced@example.com', true)
      const again = await w.h.call(
        'auth.activate',
        { email: 'graced@example.com', code: graced.code, password: 'twelve-chars' },
        'c3',
      )
      expect(codeOf(again)).toBe('WEAK_PASSWORD')
    })

    it('still refuses a common password, however long', async () => {
      const inv = await invite('common@example.com', true)
      const r = await w.h.call(
        'auth.activate',
        { email: 'common@example.com', code: inv.code, password: 'passwordpassword' },
        'c4',
      )
      expect(codeOf(r)).toBe('WEAK_PASSWORD')
    })
  })
})

// Rule 10: SMS cost bounds — caps per number, per account and for the whole account per hour and per day,
// on every kind of message (test messages and re-issued access codes included); refused and audited.
describe('SMS cost bounds', () => {
  let w: World
  beforeEach(async () => {
    w = await startWorld()
  })
  afterEach(() => w.cleanup())

  it('refuses more test messages to one number than its hourly cap, with a clear message, audited', async () => {
    const answers: string[] = []
    for (let i = 0; i < 8; i++)
      answers.push(codeOf(await w.as(w.owner, 'sms.sendTest', { to: '+34612345123' })))
    expect(answers.filter((a) => a === 'OK')).toHaveLength(5)
    expect(answers.slice(5)).toEqual(['THROTTLED', 'THROTTLED', 'THROTTLED'])
    const refused = await w.as(w.owner, 'sms.sendTest', { to: '+34612345123' })
    if (!refused.ok) expect(refused.error.message).toMatch(/this number/i)
    expect((await w.auditRows('sms.capped')).length).toBeGreaterThanOrEqual(3)
    // Another number is fine; an hour later the first one is too.
    expect(codeOf(await w.as(w.owner, 'sms.sendTest', { to: '+34612345124' }))).toBe('OK')
    w.h.clock.advance(61 * 60_000)
    await w.signIn(w.owner)
    value<SmsOutboxEntryDto>(await w.as(w.owner, 'sms.sendTest', { to: '+34612345123' }))
  })

  it('caps the whole account per hour, whatever the numbers', async () => {
    let refused = 0
    for (let i = 0; i < 110; i++) {
      const to = `+346123${String(i).padStart(5, '0')}`
      const r = await w.as(w.owner, 'sms.sendTest', { to })
      if (!r.ok) {
        expect(r.error.code).toBe('THROTTLED')
        refused++
      }
    }
    expect(refused).toBe(10)
    expect((await w.auditRows('sms.capped')).at(-1)!.data).toMatchObject({ cap: 'all-hour' })
  })
})
