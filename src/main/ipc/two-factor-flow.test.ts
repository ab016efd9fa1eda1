import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { sqlAll, sqlValue } from '../../../test/fixtures/sql'
import type { BackupCodesDto, EnrollmentStartDto } from '../../shared/dto'
import type { Result } from '../../shared/result'
import { PasswordHasher } from '../core/passwords'
import { fromBase32, totpAt } from '../core/totp'
import { insertUser } from '../db/queries/users'

type Harness = Awaited<ReturnType<typeof startBackend>>
const codeOf = (r: Result<unknown>) => (r.ok ? 'OK' : r.error.code)
const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}

describe('logging in with two factors, through the gate', () => {
  let h: Harness
  let secret: Uint8Array
  let backupCodes: string[]
  const appCode = (offset = 0) =>
    totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now() + offset * 30_000)

  beforeEach(async () => {
    h = await startBackend()
    await h.setup()
    const start = value<EnrollmentStartDto>(
      await h.call('twoFactor.startEnrollment', { password: OWNER.password }),
    )
    expect(start.qrSvg).toMatch(/^<svg/)
    expect(start.otpauthUri).toContain('issuer=Tessera')
    secret = fromBase32(start.manualKey)
    backupCodes = value<BackupCodesDto>(
      await h.call('twoFactor.confirmEnrollment', { code: await appCode() }),
    ).backupCodes
    await h.call('auth.logout')
    h.clock.advance(30_000)
  })
  afterEach(() => h.cleanup())

  it('asks for the app code after the password, and allows nothing else until then', async () => {
    expect(codeOf(await h.call('auth.login', OWNER))).toBe('OK')
    expect(await h.call('session.state')).toMatchObject({
      value: { phase: 'second-factor', user: { email: OWNER.email } },
    })
    expect(codeOf(await h.call('audit.verify'))).toBe('SECOND_FACTOR_REQUIRED')
    expect(codeOf(await h.call('twoFactor.status'))).toBe('SECOND_FACTOR_REQUIRED')
    expect(await h.call('auth.verifySecondFactor', { code: await appCode() })).toMatchObject({
      ok: true,
      value: { method: 'totp', backupCodesRemaining: null },
    })
    expect(await h.call('session.state')).toMatchObject({ value: { phase: 'signed-in' } })
    const types = (
      await sqlAll<{ type: string }>(
        h.backend.services().db,
        'SELECT type FROM audit_events ORDER BY seq DESC LIMIT 3',
      )
    ).map((r) => r.type)
    expect(types).toEqual(['login.succeeded', '2fa.code_accepted', 'login.password_accepted'])
  })

  it('refuses a replayed code with its own message', async () => {
    const code = await appCode()
    await h.call('auth.login', OWNER)
    expect(codeOf(await h.call('auth.verifySecondFactor', { code }))).toBe('OK')
    await h.call('auth.logout')
    await h.call('auth.login', OWNER)
    expect(await h.call('auth.verifySecondFactor', { code })).toMatchObject({
      ok: false,
      error: { code: 'CODE_REPLAYED', message: expect.stringMatching(/already used/) },
    })
  })

  it('takes a backup code instead and tells how many remain', async () => {
    await h.call('auth.login', OWNER)
    expect(await h.call('auth.verifySecondFactor', { backupCode: backupCodes[4] })).toMatchObject({
      ok: true,
      value: { method: 'backup_code', backupCodesRemaining: 4 },
    })
    const status = await h.call('twoFactor.status')
    expect(status).toMatchObject({
      value: { enrolled: true, backupCodesRemaining: 4, slots: expect.any(Array) },
    })
  })

  it('forgets a login left at the second step after five minutes', async () => {
    await h.call('auth.login', OWNER)
    h.clock.advance(5 * 60_000)
    expect(await h.call('session.state')).toMatchObject({ value: { phase: 'signed-out' } })
    expect(codeOf(await h.call('auth.verifySecondFactor', { code: await appCode() }))).toBe('UNAUTHENTICATED')
  })

  it('regenerates backup codes with password and app code, and turns 2FA off with a backup code', async () => {
    await h.call('auth.login', OWNER)
    await h.call('auth.verifySecondFactor', { code: await appCode() })
    h.clock.advance(30_000)
    expect(
      codeOf(
        await h.call('twoFactor.regenerateBackupCodes', {
          password: 'wrong password here',
          code: await appCode(),
        }),
      ),
    ).toBe('INVALID_CREDENTIALS')
    const fresh = value<BackupCodesDto>(
      await h.call('twoFactor.regenerateBackupCodes', { password: OWNER.password, code: await appCode() }),
    )
    expect(fresh.backupCodes).toHaveLength(5)
    expect(
      codeOf(await h.call('twoFactor.disable', { password: OWNER.password, backupCode: backupCodes[0] })),
    ).toBe('INVALID_CODE')
    expect(
      await h.call('twoFactor.disable', { password: OWNER.password, backupCode: fresh.backupCodes[0] }),
    ).toMatchObject({
      value: { enrolled: false, backupCodesTotal: 0 },
    })
    await h.call('auth.logout')
    expect(codeOf(await h.call('auth.login', OWNER))).toBe('OK')
    expect(await h.call('session.state')).toMatchObject({ value: { phase: 'signed-in' } })
    expect((await h.backend.services().audit.verify()).ok).toBe(true)
  })
})

describe('a user required to have 2FA who has none', () => {
  it('goes straight into enrollment after the password, and is signed in once it is done', async () => {
    const h = await startBackend()
    await h.setup()
    const { db } = h.backend.services()
    const password = 'quiet-orchard-ladder-93'
    await insertUser(db, {
      email: 'mia@example.com',
      name: 'Mia Member',
      role: 'member',
      status: 'active',
      password_hash: await new PasswordHasher().hash(password),
      require_2fa: 1,
      now: h.clock.now(),
    })
    const c = 'shared-office-pc'
    expect(codeOf(await h.call('auth.login', { email: 'mia@example.com', password }, c))).toBe('OK')
    expect(await h.call('session.state', {}, c)).toMatchObject({ value: { phase: 'enroll-required' } })
    expect(codeOf(await h.call('policy.get', {}, c))).toBe('ENROLLMENT_REQUIRED')
    const start = value<EnrollmentStartDto>(await h.call('twoFactor.startEnrollment', { password }, c))
    const code = await totpAt(
      { secret: fromBase32(start.manualKey), algorithm: 'sha1', digits: 6, period: 30 },
      h.clock.now(),
    )
    expect(codeOf(await h.call('twoFactor.confirmEnrollment', { code }, c))).toBe('OK')
    expect(await h.call('session.state', {}, c)).toMatchObject({
      value: { phase: 'signed-in', user: { email: 'mia@example.com' } },
    })
    const last = await sqlValue<string>(db, 'SELECT data FROM audit_events ORDER BY seq DESC LIMIT 1')
    expect(JSON.parse(last)).toMatchObject({ method: 'enrollment' })
    await h.cleanup()
  })
})

describe('an enrollment left half-way', () => {
  it('is dropped, and recorded, when the person logs out or the console locks', async () => {
    const h = await startBackend()
    await h.setup()
    const pending = () => sqlValue(h.backend.services().db, 'SELECT count(*) FROM totp_pending')
    value(await h.call('twoFactor.startEnrollment', { password: OWNER.password }))
    expect(await pending()).toBe(1)
    await h.call('auth.logout')
    expect(await pending()).toBe(0)
    await h.call('auth.login', OWNER)
    value(await h.call('twoFactor.startEnrollment', { password: OWNER.password }))
    h.clock.advance(5 * 60_000)
    expect(await h.call('session.state')).toMatchObject({ value: { phase: 'locked' } })
    expect(await pending()).toBe(0)
    const types = (
      await sqlAll<{ type: string }>(
        h.backend.services().db,
        "SELECT type FROM audit_events WHERE type LIKE '2fa.enrollment%' ORDER BY seq",
      )
    ).map((r) => r.type)
    expect(types).toEqual([
      '2fa.enrollment_started',
      '2fa.enrollment_abandoned',
      '2fa.enrollment_started',
      '2fa.enrollment_abandoned',
    ])
    await h.cleanup()
  })
})
