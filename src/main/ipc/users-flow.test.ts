import { hostname } from 'node:os'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { sqlAll, sqlGet, sqlValue } from '../../../test/fixtures/sql'
import type {
  BackupCodesDto,
  DashboardDto,
  EnrollmentStartDto,
  InvitationDto,
  ResetTwoFactorDto,
  UserDetailDto,
  UserPageDto,
} from '../../shared/dto'
import type { Result } from '../../shared/result'
import { fromBase32, totpAt } from '../core/totp'

type Harness = Awaited<ReturnType<typeof startBackend>>
const codeOf = (r: Result<unknown>) => (r.ok ? 'OK' : r.error.code)
const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value as T
}
const MIA = { email: 'mia@example.com', name: 'Mia Member', role: 'member' as const }
const MIA_PASSWORD = 'quiet-orchard-ladder-93'

describe('sub-users, invitations and admin actions', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startBackend()
    await h.setup()
  })
  afterEach(() => h.cleanup())

  const invite = async (input: object = MIA) => value<InvitationDto>(await h.call('users.create', input))
  const activate = (code: string, c = 'office-pc') =>
    h.call('auth.activate', { email: MIA.email, code, password: MIA_PASSWORD }, c)

  it('creates a user with a 128-bit invitation stored as SHA-256, unique email regardless of case', async () => {
    const inv = await invite()
    expect(inv.code!.replace(/-/g, '')).toMatch(/^[2-9A-HJ-NP-Z]{26}$/)
    expect(inv.expiresAt).toBe(h.clock.now() + 7 * 24 * 60 * 60_000)
    const stored = await sqlValue(h.backend.services().db, 'SELECT code_hash FROM invitations')
    expect(stored).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(await sqlAll(h.backend.services().db, 'SELECT * FROM audit_events'))).not.toContain(
      inv.code!,
    )
    expect(codeOf(await h.call('users.create', { ...MIA, email: 'MIA@Example.COM' }))).toBe('CONFLICT')
  })

  it('activates with the code once, goes into enrollment when 2FA is required, and refuses reuse', async () => {
    const inv = await invite()
    expect(codeOf(await activate('AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A'))).toBe('INVALID_CREDENTIALS')
    expect(codeOf(await activate(inv.code!.toLowerCase()))).toBe('OK')
    expect(await h.call('session.state', {}, 'office-pc')).toMatchObject({
      value: { phase: 'enroll-required' },
    })
    expect(codeOf(await activate(inv.code!, 'another-pc'))).toBe('INVALID_CREDENTIALS')
    const start = value<EnrollmentStartDto>(
      await h.call('twoFactor.startEnrollment', { password: MIA_PASSWORD }, 'office-pc'),
    )
    const code = await totpAt(
      { secret: fromBase32(start.manualKey), algorithm: 'sha1', digits: 6, period: 30 },
      h.clock.now(),
    )
    value<BackupCodesDto>(await h.call('twoFactor.confirmEnrollment', { code }, 'office-pc'))
    expect(await h.call('session.state', {}, 'office-pc')).toMatchObject({
      value: { phase: 'signed-in', user: { role: 'member' } },
    })
    expect(codeOf(await h.call('users.list', {}, 'office-pc'))).toBe('FORBIDDEN')
  })

  it('refuses an expired invitation, and a resent one replaces the old code', async () => {
    const first = await invite({ ...MIA, requireTwoFactor: false })
    h.clock.advance(7 * 24 * 60 * 60_000)
    expect(await activate(first.code!)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/expired/) },
    })
    const userId = first.userId
    // A week later the owner's session is long over (12 hours at most): they sign in again.
    value(await h.call('auth.login', { email: OWNER.email, password: OWNER.password }))
    const second = value<InvitationDto>(await h.call('users.resendInvitation', { userId }))
    expect(second.code).not.toBe(first.code)
    expect(codeOf(await activate(first.code!))).toBe('INVALID_CREDENTIALS')
    expect(codeOf(await activate(second.code!))).toBe('OK')
    expect(await h.call('session.state', {}, 'office-pc')).toMatchObject({ value: { phase: 'signed-in' } })
  })

  it('keeps one active owner: the last owner cannot be demoted, disabled or deleted', async () => {
    const ownerId = 1
    const inv = await invite({ email: 'second@example.com', name: 'Second Owner', role: 'admin' })
    for (const [method, input] of [
      ['users.changeRole', { userId: ownerId, role: 'admin' }],
      ['users.setDisabled', { userId: ownerId, disabled: true }],
      ['users.delete', { userId: ownerId }],
    ] as const) {
      const r = await h.call(method, input)
      expect(r.ok, method).toBe(false)
      expect(['CONFLICT']).toContain(codeOf(r))
    }
    value(await h.call('users.changeRole', { userId: inv.userId, role: 'owner' }))
    // With a second owner (still invited, so not active) the first is still the last active one.
    expect(codeOf(await h.call('users.changeRole', { userId: ownerId, role: 'admin' }))).toBe('CONFLICT')
  })

  it('resets 2FA so the user enrolls again at the next login, and shows it all on the user page', async () => {
    const inv = await invite()
    await activate(inv.code!)
    const start = value<EnrollmentStartDto>(
      await h.call('twoFactor.startEnrollment', { password: MIA_PASSWORD }, 'office-pc'),
    )
    const secret = fromBase32(start.manualKey)
    const { backupCodes } = value<BackupCodesDto>(
      await h.call(
        'twoFactor.confirmEnrollment',
        { code: await totpAt({ secret, algorithm: 'sha1', digits: 6, period: 30 }, h.clock.now()) },
        'office-pc',
      ),
    )
    await h.call('auth.logout', {}, 'office-pc')
    await h.call('auth.login', { email: MIA.email, password: MIA_PASSWORD }, 'office-pc')
    value(await h.call('auth.verifySecondFactor', { backupCode: backupCodes[1] }, 'office-pc'))
    const detail = value<UserDetailDto>(await h.call('users.get', { userId: inv.userId }))
    expect(detail.user).toMatchObject({ twoFactor: 'enrolled', backupCodesLeft: 4 })
    expect(detail.twoFactor.slots[1]).toEqual({ slot: 2, usedAt: h.clock.now(), usedMachine: hostname() })
    expect(detail.recentEvents.map((e) => e.type)).toContain('2fa.backup_code_used')
    const dash = value<DashboardDto>(await h.call('dashboard.get'))
    expect(dash).toMatchObject({
      users: 2,
      enrolled: 1,
      required: 1,
      requiredEnrolled: 1,
      pendingInvitations: 0,
    })
    expect(dash.backupCodesUsedPerWeek.at(-1)!.count).toBe(1)

    const after = value<ResetTwoFactorDto>(await h.call('users.resetTwoFactor', { userId: inv.userId }))
    expect(after.pendingRequestId).toBeNull()
    expect(after.user.user).toMatchObject({ twoFactor: 'required', backupCodesLeft: 0 })
    await h.call('auth.logout', {}, 'office-pc')
    await h.call('auth.login', { email: MIA.email, password: MIA_PASSWORD }, 'office-pc')
    expect(await h.call('session.state', {}, 'office-pc')).toMatchObject({
      value: { phase: 'enroll-required' },
    })
    const reset = await sqlGet(
      h.backend.services().db,
      "SELECT actor_id, subject_id FROM audit_events WHERE type = 'user.2fa_reset'",
    )
    expect(reset).toEqual({ actor_id: 1, subject_id: inv.userId })
  })

  it('unlocks, disables and enables a user, each audited with who did it', async () => {
    const inv = await invite({ ...MIA, requireTwoFactor: false })
    await activate(inv.code!)
    await h.call('auth.logout', {}, 'office-pc')
    await h.call('policy.update', { failuresBeforeLock: 2, failuresBeforeDelay: 5 })
    for (let i = 0; i < 2; i++)
      await h.call('auth.login', { email: MIA.email, password: 'not her password at all' }, 'x')
    const page = value<UserPageDto>(await h.call('users.list', { filter: 'locked' }))
    expect(page.users.map((u) => u.email)).toEqual([MIA.email])
    value(await h.call('users.unlock', { userId: inv.userId }))
    expect(value<UserPageDto>(await h.call('users.list', { filter: 'locked' })).users).toEqual([])
    value(await h.call('users.setDisabled', { userId: inv.userId, disabled: true }))
    expect(codeOf(await h.call('auth.login', { email: MIA.email, password: MIA_PASSWORD }, 'x'))).toBe(
      'FORBIDDEN',
    )
    value(await h.call('users.setDisabled', { userId: inv.userId, disabled: false }))
    expect(codeOf(await h.call('auth.login', { email: MIA.email, password: MIA_PASSWORD }, 'x'))).toBe('OK')
    const types = (
      await sqlAll<{ type: string }>(
        h.backend.services().db,
        "SELECT type FROM audit_events WHERE actor_id = 1 AND type LIKE 'user.%'",
      )
    ).map((r) => r.type)
    expect(types).toEqual(['user.created', 'user.unlocked', 'user.disabled', 'user.enabled'])
    value(await h.call('users.delete', { userId: inv.userId }))
    expect(
      await sqlValue<number>(
        h.backend.services().db,
        'SELECT count(*) FROM audit_events WHERE subject_id = ?',
        inv.userId,
      ),
    ).toBeGreaterThan(3)
    expect((await h.backend.services().audit.verify()).ok).toBe(true)
  })

  it('reminds a user inside the grace period at each login, then leads into enrollment', async () => {
    value(await h.call('policy.update', { gracePeriodDays: 3 }))
    const inv = await invite({ ...MIA, requireTwoFactor: false })
    await activate(inv.code!)
    await h.call('auth.logout', {}, 'office-pc')
    value(await h.call('users.setRequireTwoFactor', { userId: inv.userId, required: true }))
    const login = () => h.call('auth.login', { email: MIA.email, password: MIA_PASSWORD }, 'office-pc')
    value(await login())
    const due = h.clock.now() + 3 * 24 * 60 * 60_000
    expect(await h.call('session.state', {}, 'office-pc')).toMatchObject({
      value: { phase: 'signed-in', twoFactorDueAt: due },
    })
    await h.call('auth.logout', {}, 'office-pc')
    h.clock.advance(3 * 24 * 60 * 60_000)
    value(await login())
    expect(await h.call('session.state', {}, 'office-pc')).toMatchObject({
      value: { phase: 'enroll-required' },
    })
  })
})
