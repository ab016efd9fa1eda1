import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/result'
import { codeOf, value } from '../fixtures/results'
import { sqlRun } from '../fixtures/sql'
import { startWorld, type Person, type World } from './world'

// Attack: concurrent password guesses passed the limiter (the check read the counter, then waited on
// Argon2): about 100 parallel guesses were all checked, and one success cleared a permanent lock. Rule 5:
// an attempt is reserved atomically before any Argon2 work; a success never lifts a lock; throttled,
// locked and unknown accounts get the same answers, so they do not tell which emails exist.
describe('the attempt limiter under attack', () => {
  let w: World
  let mia: Person
  beforeEach(async () => {
    w = await startWorld()
    mia = await w.addPerson(w.owner, 'member', 'mia@example.com', { enroll: false, requireTwoFactor: false })
  })
  afterEach(() => w.cleanup())

  const guess = (email: string, password: string, client: string) =>
    w.h.call('auth.login', { email, password }, client)
  const checkedGuesses = async () =>
    (await w.auditRows('login.failed')).filter((e) => e.data.reason === 'wrong_password').length

  it('checks no more guesses than the policy allows, however many arrive at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => guess(mia.email, `wrong guess number ${i}`, `attacker-${i}`)),
    )
    // The default policy slows down after 3 consecutive failures: only those 3 reach Argon2.
    expect(await checkedGuesses()).toBe(3)
    const codes = answers.map(codeOf)
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(3)
    expect(codes.filter((c) => c === 'THROTTLED')).toHaveLength(97)
    await w.assertIntact()
  })

  it('never lets a success lift a permanent lock, even one racing the last failure', async () => {
    await sqlRun(
      w.db(),
      "INSERT INTO login_throttle (user_id, factor, consecutive_failures, last_failure_at) VALUES (?, 'password', 99, NULL)",
      mia.id,
    )
    // The 100th guess (wrong) and the right password arrive together.
    const wrong = guess(mia.email, 'the hundredth wrong guess', 'attacker')
    const right = guess(mia.email, mia.password, 'mia-pc')
    expect(codeOf(await wrong)).toBe('ACCOUNT_LOCKED')
    expect(codeOf(await right)).toBe('ACCOUNT_LOCKED')
    w.h.clock.advance(7 * 24 * 60 * 60_000)
    expect(codeOf(await guess(mia.email, mia.password, 'mia-pc'))).toBe('ACCOUNT_LOCKED')
    // Only an admin lifts it.
    await w.signIn(w.owner)
    expect((await w.detail(w.owner, mia.id)).user.lockedForever).toBe(true)
    value(await w.as(w.owner, 'users.unlock', { userId: mia.id }))
    expect(codeOf(await guess(mia.email, mia.password, 'mia-pc'))).toBe('OK')
  })

  it('answers an unknown email exactly as it answers a real account, failure after failure', async () => {
    value(await w.as(w.owner, 'policy.update', { failuresBeforeLock: 5 }))
    const answer = (r: Result<unknown>) => (r.ok ? 'OK' : `${r.error.code}: ${r.error.message}`)
    const seen: string[] = []
    for (let i = 0; i < 12; i++) {
      const real = answer(await guess(mia.email, `not the password ${i}`, 'probe-1'))
      const unknown = answer(await guess('nobody.here@example.com', `not the password ${i}`, 'probe-2'))
      expect(unknown, `attempt ${i + 1}`).toBe(real)
      seen.push(real)
      w.h.clock.advance(i % 2 === 0 ? 500 : 70_000)
    }
    expect(seen.some((a) => a.startsWith('THROTTLED'))).toBe(true)
    expect(seen.some((a) => a.startsWith('ACCOUNT_LOCKED'))).toBe(true)
  })

  it('counts a differently written email as the same one', async () => {
    for (let i = 0; i < 3; i++) await guess('nobody@example.com', `wrong ${i}`, 'probe')
    expect(codeOf(await guess('NoBody@Example.COM', 'wrong again', 'probe'))).toBe('THROTTLED')
  })
})
