import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Policy, SmsConfigDto } from '../../src/shared/dto'
import { startFakeTwilio, type FakeTwilio } from '../fixtures/fake-twilio'
import { codeOf, value } from '../fixtures/results'
import { sqlAll } from '../fixtures/sql'
import { startWorld, type Person, type World } from './world'

// Attack: an admin reroutes every SMS — the SMS settings (API base URL, plain http accepted) were open to
// admins and kept the stored Twilio token, so the next requests carried the owner's Account SID + token
// and every login and recovery code to a server of the admin's choosing. Rule 2: settings that protect
// everyone are owner-only; a new endpoint or Account SID needs the token again; https only (loopback
// excepted); every change is audited and told to every owner.
describe('settings that protect everyone', () => {
  let w: World
  let admin: Person
  let twilio: FakeTwilio
  let attacker: FakeTwilio
  beforeEach(async () => {
    w = await startWorld()
    twilio = w.twilio
    attacker = await startFakeTwilio()
    admin = await w.signedInAdmin()
    value<SmsConfigDto>(
      await w.as(w.owner, 'sms.configure', {
        provider: 'twilio',
        accountSid: twilio.accountSid,
        from: '+15005550006',
        apiBaseUrl: twilio.baseUrl,
        authToken: twilio.authToken,
      }),
    )
  })
  afterEach(async () => {
    await w.cleanup()
    await attacker.close()
  })

  it('an admin cannot point SMS at another server, and the token never leaves for it', async () => {
    const r = await w.as(admin, 'sms.configure', { provider: 'twilio', apiBaseUrl: attacker.baseUrl })
    expect(codeOf(r)).toBe('FORBIDDEN')
    expect(codeOf(await w.as(admin, 'sms.configure', { provider: 'outbox' }))).toBe('FORBIDDEN')
    expect(codeOf(await w.as(admin, 'sms.sendTest', { to: '+34612345123' }))).toBe('FORBIDDEN')
    // A login code afterwards still goes to the real provider only.
    const mia = await w.addPerson(w.owner, 'member', 'mia@example.com', { phone: '+34612345123' })
    expect(mia.id).toBeGreaterThan(0)
    expect(attacker.requests).toBe(0)
    expect(twilio.messages.length).toBeGreaterThan(0)
    expect(value<SmsConfigDto>(await w.as(admin, 'sms.getConfig')).apiBaseUrl).toBe(twilio.baseUrl)
  })

  it('even the owner must enter the token again to change the endpoint or the Account SID', async () => {
    const moved = await w.as(w.owner, 'sms.configure', { provider: 'twilio', apiBaseUrl: attacker.baseUrl })
    expect(codeOf(moved)).toBe('VALIDATION')
    if (!moved.ok) expect(moved.error.fields).toHaveProperty('authToken')
    const sid = await w.as(w.owner, 'sms.configure', {
      provider: 'twilio',
      accountSid: `AC${'b'.repeat(32)}`,
    })
    expect(codeOf(sid)).toBe('VALIDATION')
    // With the token typed again, the move is allowed (the owner knows what they send where).
    expect(
      codeOf(
        await w.as(w.owner, 'sms.configure', {
          provider: 'twilio',
          apiBaseUrl: attacker.baseUrl,
          authToken: attacker.authToken,
        }),
      ),
    ).toBe('OK')
  })

  it('accepts only https endpoints, except on this machine (loopback)', async () => {
    for (const url of ['http://sms.example.com', 'http://10.0.0.5:8080', 'http://127.0.0.1.evil.example']) {
      const r = await w.as(w.owner, 'sms.configure', {
        provider: 'twilio',
        apiBaseUrl: url,
        authToken: twilio.authToken,
      })
      expect(codeOf(r), url).toBe('VALIDATION')
    }
    for (const url of [
      'https://api.twilio.com',
      'http://localhost:9',
      'http://127.0.0.1:9',
      'http://[::1]:9',
    ]) {
      const r = await w.as(w.owner, 'sms.configure', {
        provider: 'twilio',
        apiBaseUrl: url,
        authToken: twilio.authToken,
      })
      expect(codeOf(r), url).toBe('OK')
    }
  })

  it('recovery, lockout and idle-lock policy are owner-only; the rest stays with admins', async () => {
    for (const change of [
      { recoveryCoolingOffMinutes: 0 },
      { recoveryRequestHours: 720 },
      { failuresBeforeDelay: 20 },
      { failuresBeforeLock: 50 },
      { lockMinutes: 1 },
      { idleLockMinutes: 60 },
      { sessionLifetimeHours: 8 },
    ]) {
      expect(codeOf(await w.as(admin, 'policy.update', change)), JSON.stringify(change)).toBe('FORBIDDEN')
    }
    expect(value<Policy>(await w.as(admin, 'policy.get')).recoveryCoolingOffMinutes).toBe(60)
    expect(codeOf(await w.as(admin, 'policy.update', { gracePeriodDays: 3 }))).toBe('OK')
    expect(codeOf(await w.as(admin, 'policy.update', { requireTwoFactorForNewUsers: false }))).toBe('OK')
  })

  it('tells every owner, by SMS to their verified phone, when a protective setting changes', async () => {
    const second = await w.addPerson(w.owner, 'owner', 'otto.owner@example.com', { phone: '+34612345678' })
    await w.signIn(second)
    const before = twilio.messages.length
    value(await w.as(second, 'policy.update', { lockMinutes: 30 }))
    const notices = twilio.messages.slice(before)
    expect(notices.map((m) => m.to)).toContain('+34612345678')
    expect(notices.find((m) => m.to === '+34612345678')!.body).toMatch(/setting that protects/i)
    const audited = (await w.auditRows('policy.updated')).at(-1)!
    expect(audited.actor_id).toBe(second.id)
    expect(audited.data).toMatchObject({ changed: { lockMinutes: { from: 15, to: 30 } } })
    const kinds = (
      await sqlAll<{ kind: string }>(
        w.db(),
        'SELECT kind FROM sms_outbox WHERE to_key = ?',
        w.db().seal.lookupKey('+34612345678'),
      )
    ).map((r) => r.kind)
    expect(kinds).toContain('protective_setting_changed')
    await w.assertIntact()
  })
})
