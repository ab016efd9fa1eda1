import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AccessCodeIssuedDto, RecoveryRequestDetailDto, ResetTwoFactorDto } from '../../src/shared/dto'
import { codeOf, value } from '../fixtures/results'
import { startWorld, type Person, type World } from './world'

const CHECKS = ['callback_known_number', 'photo_id']
const MINUTE = 60_000

// Attack: the two-person rule for admin and owner recovery was bypassable — an admin reset another admin's
// 2FA directly (an owner another owner's), an admin set the cooling-off to 0, and a throw-away support
// account created by the same admin counted as the "second, different approver". Rule 3: whatever removes
// an admin's or owner's second factor needs two approvers of at least the subject's rank, neither
// created/invited/activated in the last 7 days nor created by the other; cooling-off of at least 15 min.
describe('dual control over an admin or owner losing their second factor', () => {
  let w: World
  let adam: Person // admin, created by the owner, old enough
  let bea: Person // admin, the subject
  let cy: Person // admin, created by the owner, old enough: a valid second approver
  let dan: Person // admin created by Adam: never Adam's second approver
  let sid: Person // support agent created by Adam: the throw-away account
  beforeEach(async () => {
    w = await startWorld()
    adam = await w.addPerson(w.owner, 'admin', 'adam.admin@example.com')
    bea = await w.addPerson(w.owner, 'admin', 'bea.admin@example.com')
    cy = await w.addPerson(w.owner, 'admin', 'cy.admin@example.com')
    await w.signIn(adam)
    dan = await w.addPerson(adam, 'admin', 'dan.admin@example.com')
    sid = await w.addPerson(adam, 'support', 'sid.support@example.com')
    await w.age(8, [w.owner, adam, cy, dan, sid])
  })
  afterEach(() => w.cleanup())

  const approve = (agent: Person, requestId: number) => w.as(agent, 'recovery.approve', { requestId })
  const check = async (agent: Person, requestId: number) =>
    value<RecoveryRequestDetailDto>(await w.as(agent, 'recovery.check', { requestId, checks: CHECKS }))

  it('an admin cannot reset another admin directly: it becomes a request needing two approvers', async () => {
    const r = value<ResetTwoFactorDto>(await w.as(adam, 'users.resetTwoFactor', { userId: bea.id }))
    expect(r.pendingRequestId).toEqual(expect.any(Number))
    expect((await w.detail(w.owner, bea.id)).twoFactor.enrolled).toBe(true)
    const request = value<RecoveryRequestDetailDto>(
      await w.as(adam, 'recovery.get', { requestId: r.pendingRequestId! }),
    )
    expect(request).toMatchObject({ status: 'open', approvalsRequired: 2, user: { id: bea.id } })
    expect(await w.auditRows('user.2fa_reset')).toEqual([])
  })

  it('an owner cannot reset another owner directly either', async () => {
    const otto = await w.addPerson(w.owner, 'owner', 'otto.owner@example.com')
    const r = value<ResetTwoFactorDto>(await w.as(w.owner, 'users.resetTwoFactor', { userId: otto.id }))
    expect(r.pendingRequestId).toEqual(expect.any(Number))
    expect((await w.detail(w.owner, otto.id)).twoFactor.enrolled).toBe(true)
  })

  it('a throw-away account, a new account or one the first approver created is not a second approver', async () => {
    const { pendingRequestId: id } = value<ResetTwoFactorDto>(
      await w.as(adam, 'users.resetTwoFactor', { userId: bea.id }),
    )
    await check(adam, id!)
    expect(codeOf(await approve(adam, id!))).toBe('OK')
    // The support agent Adam created: below the subject's rank.
    expect(codeOf(await approve(sid, id!))).toBe('FORBIDDEN')
    // An admin Adam created.
    const byDan = await approve(dan, id!)
    expect(codeOf(byDan)).toBe('CONFLICT')
    if (!byDan.ok) expect(byDan.error.message).toMatch(/created by/i)
    // An admin whose account is days old.
    const eve = await w.addPerson(w.owner, 'admin', 'eve.admin@example.com')
    await w.signIn(eve)
    const byEve = await approve(eve, id!)
    expect(codeOf(byEve)).toBe('CONFLICT')
    if (!byEve.ok) expect(byEve.error.message).toMatch(/7 days/)
    expect(value<RecoveryRequestDetailDto>(await w.as(adam, 'recovery.get', { requestId: id! })).status).toBe(
      'verifying',
    )
    // Cy qualifies.
    expect(codeOf(await approve(cy, id!))).toBe('OK')
    expect(value<RecoveryRequestDetailDto>(await w.as(adam, 'recovery.get', { requestId: id! })).status).toBe(
      'approved',
    )
  })

  it('support agents cannot work a request about an admin at all', async () => {
    const { pendingRequestId: id } = value<ResetTwoFactorDto>(
      await w.as(adam, 'users.resetTwoFactor', { userId: bea.id }),
    )
    expect(codeOf(await w.as(sid, 'recovery.check', { requestId: id!, checks: CHECKS }))).toBe('FORBIDDEN')
    expect(codeOf(await w.as(sid, 'recovery.deny', { requestId: id!, reason: 'not sure' }))).toBe('FORBIDDEN')
  })

  it('keeps at least 15 minutes of cooling-off for admins, whatever the policy says', async () => {
    value(await w.as(w.owner, 'policy.update', { recoveryCoolingOffMinutes: 0 }))
    const { pendingRequestId: id } = value<ResetTwoFactorDto>(
      await w.as(adam, 'users.resetTwoFactor', { userId: bea.id }),
    )
    expect((await check(adam, id!)).coolingOffMinutes).toBe(15)
    value(await approve(adam, id!))
    const approved = value<RecoveryRequestDetailDto>(await approve(cy, id!))
    expect(approved.effectiveAt! - w.h.clock.now()).toBeGreaterThanOrEqual(15 * MINUTE)
    expect(codeOf(await w.as(cy, 'recovery.issueCode', { requestId: id! }))).toBe('CONFLICT')
    w.h.clock.advance(15 * MINUTE)
    await w.signIn(cy)
    const issued = value<AccessCodeIssuedDto>(await w.as(cy, 'recovery.issueCode', { requestId: id! }))
    expect(issued.delivery).toBe('agent')
    await w.assertIntact()
  })

  it('demoting an admin first does not turn the reset into a one-person action', async () => {
    value(await w.as(adam, 'users.changeRole', { userId: bea.id, role: 'member' }))
    const r = value<ResetTwoFactorDto>(await w.as(adam, 'users.resetTwoFactor', { userId: bea.id }))
    expect(r.pendingRequestId).toEqual(expect.any(Number))
    expect((await w.detail(w.owner, bea.id)).twoFactor.enrolled).toBe(true)
  })

  it('a member is still reset by one admin, at once', async () => {
    const mia = await w.addPerson(w.owner, 'member', 'mia@example.com')
    const r = value<ResetTwoFactorDto>(await w.as(adam, 'users.resetTwoFactor', { userId: mia.id }))
    expect(r.pendingRequestId).toBeNull()
    expect(r.user.twoFactor.enrolled).toBe(false)
  })
})
