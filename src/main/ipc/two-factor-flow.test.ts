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
      value: { phase: 'second-factor', user: { email: OWNER.email }, emergencyPhone: false },
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

describe('new backup codes right after signing in', () => {
  let h: Harness
  let secret: Uint8Array
  let backupCodes: string[]
  const appCode = () => totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now())
  const justSignedIn = { justSignedIn: true }
  const regenerated = () =>
    sqlAll<{ data: string }>(
      h.backend.services().db,
      "SELECT data FROM audit_events WHERE type = '2fa.backup_codes_regenerated' ORDER BY seq",
    )

  beforeEach(async () => {
    h = await startBackend()
    await h.setup()
    const start = value<EnrollmentStartDto>(
      await h.call('twoFactor.startEnrollment', { password: OWNER.password }),
    )
    secret = fromBase32(start.manualKey)
    backupCodes = value<BackupCodesDto>(
      await h.call('twoFactor.confirmEnrollment', { code: await appCode() }),
    ).backupCodes
    await h.call('auth.logout')
    h.clock.advance(30_000)
  })
  afterEach(() => h.cleanup())

  it('needs neither password nor code within minutes of a backup-code sign-in, once', async () => {
    await h.call('auth.login', OWNER)
    await h.call('auth.verifySecondFactor', { backupCode: backupCodes[0] })
    h.clock.advance(2 * 60_000)
    const fresh = value<BackupCodesDto>(await h.call('twoFactor.regenerateBackupCodes', justSignedIn))
    expect(fresh.backupCodes).toHaveLength(5)
    expect(await h.call('twoFactor.status')).toMatchObject({ value: { backupCodesRemaining: 5 } })
    // The old set no longer works; the audit says how the person proved who they are.
    expect(
      codeOf(await h.call('twoFactor.disable', { password: OWNER.password, backupCode: backupCodes[1] })),
    ).toBe('INVALID_CODE')
    expect((await regenerated()).map((r) => JSON.parse(r.data).proof)).toEqual(['recent_sign_in'])
    // Spent: a second set needs the password and the app code again.
    expect(codeOf(await h.call('twoFactor.regenerateBackupCodes', justSignedIn))).toBe('FORBIDDEN')
    expect(await regenerated()).toHaveLength(1)
  })

  it('attack: an older session, still open and active, must give the password and code again', async () => {
    await h.call('auth.login', OWNER)
    await h.call('auth.verifySecondFactor', { code: await appCode() })
    // Kept active (no idle lock), but the sign-in is now more than five minutes old.
    h.clock.advance(4 * 60_000)
    await h.call('session.touch')
    h.clock.advance(60_000 + 1)
    expect(await h.call('session.state')).toMatchObject({ value: { phase: 'signed-in' } })
    const refused = await h.call('twoFactor.regenerateBackupCodes', justSignedIn)
    expect(codeOf(refused)).toBe('FORBIDDEN')
    expect(refused.ok ? '' : refused.error.message).toMatch(/Enter your password/)
    expect(await regenerated()).toHaveLength(0)
    expect(await h.call('twoFactor.status')).toMatchObject({ value: { backupCodesRemaining: 5 } })
    h.clock.advance(30_000)
    expect(
      codeOf(
        await h.call('twoFactor.regenerateBackupCodes', { password: OWNER.password, code: await appCode() }),
      ),
    ).toBe('OK')
    expect((await regenerated()).map((r) => JSON.parse(r.data).proof)).toEqual(['password_and_code'])
  })

  it('attack: the proof belongs to the session that signed in, and does not survive a lock', async () => {
    // Another console signed in with both factors four minutes before this window did.
    await h.call('auth.login', OWNER, 'other-pc')
    await h.call('auth.verifySecondFactor', { code: await appCode() }, 'other-pc')
    h.clock.advance(4 * 60_000)
    await h.call('session.touch', {}, 'other-pc')
    await h.call('auth.login', OWNER)
    await h.call('auth.verifySecondFactor', { code: await appCode() })
    h.clock.advance(60_000 + 1)
    // This window's fresh sign-in lends nothing to the other console, whose own is too old.
    expect(codeOf(await h.call('twoFactor.regenerateBackupCodes', justSignedIn, 'other-pc'))).toBe(
      'FORBIDDEN',
    )
    // Locked and unlocked with the password alone: this window's proof is gone too.
    await h.call('auth.lock', { reason: 'manual' })
    value(await h.call('auth.unlock', { password: OWNER.password }))
    expect(codeOf(await h.call('twoFactor.regenerateBackupCodes', justSignedIn))).toBe('FORBIDDEN')
    expect(codeOf(await h.call('twoFactor.regenerateBackupCodes', { justSignedIn: false }))).toBe(
      'VALIDATION',
    )
    expect(await regenerated()).toHaveLength(0)
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

describe('enrolling right after the password', () => {
  it('needs no password again minutes after it was given; an older or complete session does', async () => {
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
    const justSignedIn = { justSignedIn: true }
    const pending = () => sqlValue<number>(db, 'SELECT count(*) FROM totp_pending')
    // The owner, signed in with the password alone in full: My profile's wizard asks for it.
    expect(codeOf(await h.call('twoFactor.startEnrollment', justSignedIn))).toBe('FORBIDDEN')

    value(await h.call('auth.login', { email: 'mia@example.com', password }, 'mia-pc'))
    h.clock.advance(2 * 60_000)
    const start = value<EnrollmentStartDto>(await h.call('twoFactor.startEnrollment', justSignedIn, 'mia-pc'))
    expect(start.manualKey).toBeTruthy()

    // Attack: a password given longer ago must be given again. Here the login reached enrollment four
    // minutes after the password (as a way back in — SMS or access code — moves it on), and waits there.
    value(await h.call('auth.login', { email: 'mia@example.com', password }, 'other-pc'))
    h.clock.advance(4 * 60_000)
    h.backend.sessions.advance('other-pc', 'enroll')
    h.clock.advance(60_000 + 1)
    expect(await h.call('session.state', {}, 'other-pc')).toMatchObject({
      value: { phase: 'enroll-required' },
    })
    const refused = await h.call('twoFactor.startEnrollment', justSignedIn, 'other-pc')
    expect(codeOf(refused)).toBe('FORBIDDEN')
    expect(refused.ok ? '' : refused.error.message).toBe('Enter your password to continue.')
    expect(await pending()).toBe(1)
    expect(codeOf(await h.call('twoFactor.startEnrollment', { password }, 'other-pc'))).toBe('OK')
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
