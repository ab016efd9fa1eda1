import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { onPostgres } from '../../../test/fixtures/engine'
import { startBackend } from '../../../test/fixtures/harness'
import { value } from '../../../test/fixtures/results'
import type { ChangesDto } from '../../shared/dto'
import type { Backend } from '../core/backend'

/**
 * Two consoles on one database: on a team database (PostgreSQL) each hears the other's changes through
 * LISTEN/NOTIFY and its screens refresh; on the file nothing is heard, and the console says so.
 */
describe(`two consoles at once (${onPostgres ? 'team database' : 'file'})`, () => {
  let h: Awaited<ReturnType<typeof startBackend>>
  let second: Backend
  const ask = (input: { after: number; waitMs: number }) =>
    h
      .gateOf(second)('console-2', 'changes.next', input)
      .then((r) => value<ChangesDto>(r))

  beforeEach(async () => {
    h = await startBackend()
    await h.setup()
    second = await h.restart()
    // The file's second console asks for the database passphrase; a team console finds the key in the keychain.
    if (second.phase === 'needs-db-passphrase') await second.unlockDatabase('database passphrase for tests')
  })
  afterEach(async () => {
    await second.close()
    await h.cleanup()
  })

  it('hears a new user made on another console, as it commits', async () => {
    const start = await ask({ after: 0, waitMs: 0 })
    expect(start.live).toBe(onPostgres)
    if (!onPostgres) return
    // A long wait that only a change can end early: the answer names what changed.
    const t0 = performance.now()
    const waiting = ask({ after: start.version, waitMs: 20_000 })
    value(await h.call('users.create', { email: 'mia@example.com', name: 'Mia Member', role: 'member' }))
    const heard = await waiting
    console.info(
      `[team] a new user was heard on the other console after ${(performance.now() - t0).toFixed(0)} ms`,
    )
    expect(heard.areas).toContain('users')
    expect(heard.version).toBeGreaterThan(start.version)
    // Nothing new: a short wait ends empty.
    expect(await ask({ after: heard.version, waitMs: 200 })).toMatchObject({
      areas: [],
      version: heard.version,
    })
  })

  it('a role or status change made on one console applies on the other at its next call', async () => {
    const mia = value<{ userId: number; code: string }>(
      await h.call('users.create', {
        email: 'mia@example.com',
        name: 'Mia Member',
        role: 'admin',
        requireTwoFactor: false,
      }),
    )
    const gate2 = h.gateOf(second)
    value(
      await gate2('mia-window', 'auth.activate', {
        email: 'mia@example.com',
        code: mia.code,
        password: 'quiet-orchard-ladder-93',
      }),
    )
    expect((await gate2('mia-window', 'users.list', { limit: 5 })).ok).toBe(true)
    value(await h.call('users.changeRole', { userId: mia.userId, role: 'member' }))
    expect(await gate2('mia-window', 'users.list', { limit: 5 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    })
    value(await h.call('users.setDisabled', { userId: mia.userId, disabled: true }))
    expect(value<{ phase: string }>(await gate2('mia-window', 'session.state', {})).phase).toBe('signed-out')
  })
})
