import { existsSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestDatabase, dropTestDatabase, onPostgres } from '../../../test/fixtures/engine'
import { firstRunConsole } from '../../../test/fixtures/first-run'
import { OWNER, startBackend } from '../../../test/fixtures/harness'
import { codeOf, value } from '../../../test/fixtures/results'
import type { ChangesDto, SessionState, SessionUser } from '../../shared/dto'
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

/**
 * The first-run screen's other choice: a console on another machine joins a team database someone already
 * created, with its address and the team passphrase, and from then on opens it with the team key its own
 * keychain keeps. Only a team database (PostgreSQL) can be joined.
 */
describe.skipIf(!onPostgres)('a new console joins an existing team database', () => {
  const TEAM_PASSPHRASE = 'database passphrase for tests' // what the harness's setup gives
  let url: string
  let owner: Awaited<ReturnType<typeof startBackend>>
  let machine: ReturnType<typeof firstRunConsole>
  let consoles: Backend[]

  beforeEach(async () => {
    url = await createTestDatabase()
    owner = await startBackend({ databaseUrl: url })
    await owner.setup()
    machine = firstRunConsole(owner.clock)
    consoles = []
  })
  afterEach(async () => {
    for (const b of consoles) await b.close()
    await machine.cleanup()
    await owner.cleanup()
    await dropTestDatabase(url)
  })
  const start = async () => {
    const b = await machine.start()
    consoles.push(b)
    return { backend: b, gate: owner.gateOf(b) }
  }
  const stateOf = async (gate: ReturnType<typeof owner.gateOf>) =>
    value<SessionState>(await gate('window-2', 'session.state', {}))

  it('a wrong passphrase changes nothing; the right one opens it, the owner signs in, and a restart needs no passphrase', async () => {
    const first = await start()
    expect(await stateOf(first.gate)).toEqual({ phase: 'needs-setup', keychainAvailable: true })

    const wrong = await first.gate('window-2', 'setup.joinTeam', {
      databaseUrl: url,
      passphrase: 'not the team passphrase',
    })
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'DATABASE', message: 'The team passphrase is wrong: it does not open the team key.' },
    })
    expect(await stateOf(first.gate)).toEqual({ phase: 'needs-setup', keychainAvailable: true })
    expect(
      codeOf(await first.gate('window-2', 'auth.login', { email: OWNER.email, password: OWNER.password })),
    ).toBe('DATABASE')
    // Nothing remembered: no key, no address in this console's keychain, and a restart is a first run again.
    expect(await machine.keychainEntries()).toEqual([])
    expect(existsSync(`${machine.dbPath}.team.json`)).toBe(false)
    expect((await start()).backend.phase).toBe('needs-setup')

    const joined = await first.gate('window-2', 'setup.joinTeam', {
      databaseUrl: url,
      passphrase: TEAM_PASSPHRASE,
    })
    expect(value<SessionState>(joined)).toEqual({ phase: 'signed-out' })
    expect(await stateOf(first.gate)).toEqual({ phase: 'signed-out' })
    // The owner, created on the other console, signs in here: it is the same team database.
    const user = value<SessionUser>(
      await first.gate('window-2', 'auth.login', { email: OWNER.email, password: OWNER.password }),
    )
    expect(user).toMatchObject({ email: OWNER.email, role: 'owner' })
    expect((await stateOf(first.gate)).phase).toBe('signed-in')
    const page = value<{ users: { email: string }[] }>(
      await first.gate('window-2', 'users.list', { limit: 10 }),
    )
    expect(page.users.map((u) => u.email)).toEqual([OWNER.email])
    // This console's keychain now keeps the team key (64 hex digits) and the database's address.
    const entries = await machine.keychainEntries()
    expect(entries.filter((e) => /^[0-9a-f]{64}$/.test(e.password))).toHaveLength(1)
    expect(entries.map((e) => e.password)).toContain(url)
    expect(entries.map((e) => e.password).join('\n')).not.toContain(TEAM_PASSPHRASE)

    // A restart of that console: no address given, no passphrase asked; it opens and the owner signs in.
    await first.backend.close()
    const again = await start()
    expect(again.backend.phase).toBe('open')
    expect(await stateOf(again.gate)).toEqual({ phase: 'signed-out' })
    expect(
      codeOf(await again.gate('window-2', 'auth.login', { email: OWNER.email, password: OWNER.password })),
    ).toBe('OK')
    // A change made on the creator's console is there.
    value(await owner.call('users.create', { email: 'mia@example.com', name: 'Mia Member', role: 'member' }))
    const after = value<{ users: { email: string }[] }>(
      await again.gate('window-2', 'users.list', { limit: 10 }),
    )
    expect(after.users.map((u) => u.email).sort()).toEqual(['mia@example.com', OWNER.email])
  })
})
