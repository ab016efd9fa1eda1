import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InvitationDto } from '../../src/shared/dto'
import { codeOf, value } from '../fixtures/results'
import { PASSWORD, startWorld, type Person, type World } from './world'

// Attack: an admin re-issues the invitation of a not-yet-activated owner (or admin) and activates that
// account with a password of their own choosing. Rule 1: an actor acts on a person only at equal or higher
// rank, and anything that touches an owner is owner-only.
describe('an admin cannot become an owner', () => {
  let w: World
  let admin: Person
  beforeEach(async () => {
    w = await startWorld()
    admin = await w.signedInAdmin()
  })
  afterEach(() => w.cleanup())

  it('by re-inviting an owner who has not activated yet', async () => {
    const invited = value<InvitationDto>(
      await w.as(w.owner, 'users.create', { email: 'olga.owner@example.com', name: 'Olga', role: 'owner' }),
    )
    const r = await w.as(admin, 'users.resendInvitation', { userId: invited.userId })
    expect(codeOf(r)).toBe('FORBIDDEN')
    // The owner's own invitation still works, and nothing the admin did produced another code.
    expect(await w.auditRows('user.invitation_resent')).toEqual([])
    const activated = await w.h.call(
      'auth.activate',
      { email: 'olga.owner@example.com', code: invited.code, password: PASSWORD },
      'olga-pc',
    )
    expect(codeOf(activated)).toBe('OK')
  })

  it('by creating an owner, or making someone (or themselves) an owner', async () => {
    expect(
      codeOf(await w.as(admin, 'users.create', { email: 'x@example.com', name: 'X', role: 'owner' })),
    ).toBe('FORBIDDEN')
    const member = await w.addPerson(w.owner, 'member', 'mia@example.com')
    expect(codeOf(await w.as(admin, 'users.changeRole', { userId: member.id, role: 'owner' }))).toBe(
      'FORBIDDEN',
    )
    expect(codeOf(await w.as(admin, 'users.changeRole', { userId: admin.id, role: 'owner' }))).toBe(
      'FORBIDDEN',
    )
    expect((await w.detail(w.owner, admin.id)).user.role).toBe('admin')
  })

  it('touches no owner: reset, unlock, disable, delete, role, require 2FA are all owner-only', async () => {
    const second = await w.addPerson(w.owner, 'owner', 'otto.owner@example.com')
    for (const [method, input] of [
      ['users.resetTwoFactor', {}],
      ['users.unlock', {}],
      ['users.setDisabled', { disabled: true }],
      ['users.delete', {}],
      ['users.changeRole', { role: 'member' }],
      ['users.setRequireTwoFactor', { required: false }],
    ] as const) {
      expect(codeOf(await w.as(admin, method, { userId: second.id, ...input })), method).toBe('FORBIDDEN')
    }
    expect((await w.detail(w.owner, second.id)).user).toMatchObject({ role: 'owner', status: 'active' })
    expect((await w.detail(w.owner, second.id)).twoFactor.enrolled).toBe(true)
  })

  it('re-invites an admin who has not activated only at admin rank or above', async () => {
    const invited = value<InvitationDto>(
      await w.as(w.owner, 'users.create', { email: 'ada.admin@example.com', name: 'Ada', role: 'admin' }),
    )
    // An admin may act on an equal rank; the owner may act on anyone.
    expect(codeOf(await w.as(admin, 'users.resendInvitation', { userId: invited.userId }))).toBe('OK')
    expect(codeOf(await w.as(w.owner, 'users.resendInvitation', { userId: invited.userId }))).toBe('OK')
    await w.assertIntact()
  })
})
