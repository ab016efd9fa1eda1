import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { gateFor, startTestBackend } from '../fixtures/backend'
import { codeOf, value } from '../fixtures/results'
import { startWorld, type Person, type World } from './world'

// Attack: a demoted or disabled user kept the old role in a session that was already open. Rule 4:
// sessions follow the database — role and status are read on every gated call, whoever changed them
// (this console, another one, the CLI). Rule 9: an absolute session lifetime (at most 12 h) and an idle
// lock of at most 60 minutes.
describe('sessions follow the database', () => {
  let w: World
  let admin: Person
  beforeEach(async () => {
    w = await startWorld()
    admin = await w.signedInAdmin()
  })
  afterEach(() => w.cleanup())

  it('a demoted admin loses the admin powers at the next call', async () => {
    expect(codeOf(await w.as(admin, 'users.list', {}))).toBe('OK')
    value(await w.as(w.owner, 'users.changeRole', { userId: admin.id, role: 'member' }))
    expect(codeOf(await w.as(admin, 'users.list', {}))).toBe('FORBIDDEN')
    expect(
      codeOf(await w.as(admin, 'users.create', { email: 'x@example.com', name: 'X', role: 'member' })),
    ).toBe('FORBIDDEN')
    const state = value<{ phase: string; user?: { role: string } }>(await w.as(admin, 'session.state'))
    expect(state.user?.role).toBe('member')
  })

  it('a disabled person is signed out at the next call', async () => {
    value(await w.as(w.owner, 'users.setDisabled', { userId: admin.id, disabled: true }))
    expect(codeOf(await w.as(admin, 'users.list', {}))).toBe('UNAUTHENTICATED')
    expect(value<{ phase: string }>(await w.as(admin, 'session.state')).phase).toBe('signed-out')
  })

  it('a change made by another console on the same database counts just the same', async () => {
    // A second console on the same file: its own process-level state, the same database.
    const other = await startTestBackend({ dir: w.h.dbPath.replace(/\/tessera\.db$/, ''), clock: w.h.clock })
    try {
      const gate = gateFor(other)
      await other.unlockDatabase('database passphrase for tests')
      value(await gate('c2', 'auth.login', { email: w.owner.email, password: w.owner.password }))
      value(await gate('c2', 'users.changeRole', { userId: admin.id, role: 'support' }))
      expect(
        codeOf(await w.as(admin, 'users.create', { email: 'y@example.com', name: 'Y', role: 'member' })),
      ).toBe('FORBIDDEN')
      expect(codeOf(await w.as(admin, 'users.list', {}))).toBe('OK')
    } finally {
      await other.close()
    }
  })

  it('ends every session after 12 hours, however active, and asks for a full sign-in', async () => {
    value(await w.as(w.owner, 'policy.update', { idleLockMinutes: 60 }))
    for (let h = 0; h < 12; h++) {
      w.h.clock.advance(58 * 60_000)
      expect(codeOf(await w.as(admin, 'users.list', {})), `after ${h + 1} x 58 min`).toBe('OK')
    }
    w.h.clock.advance(30 * 60_000)
    expect(codeOf(await w.as(admin, 'users.list', {}))).toBe('UNAUTHENTICATED')
    expect(value<{ phase: string }>(await w.as(admin, 'session.state')).phase).toBe('signed-out')
    expect((await w.auditRows('session.expired')).map((e) => e.subject_id)).toContain(admin.id)
  })

  it('never lets the idle lock go beyond 60 minutes, nor a session beyond 12 hours', async () => {
    expect(codeOf(await w.as(w.owner, 'policy.update', { idleLockMinutes: 61 }))).toBe('VALIDATION')
    expect(codeOf(await w.as(w.owner, 'policy.update', { sessionLifetimeHours: 13 }))).toBe('VALIDATION')
    expect(
      codeOf(await w.as(w.owner, 'policy.update', { idleLockMinutes: 60, sessionLifetimeHours: 8 })),
    ).toBe('OK')
    await w.assertIntact()
  })
})
