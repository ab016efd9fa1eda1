import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/main/adapters/clock'
import type { Backend } from '../../src/main/core/backend'
import type { Result } from '../../src/shared/result'
import { gateFor, startTestBackend } from '../fixtures/backend'
import { onPostgres } from '../fixtures/engine'
import { smallDisk, type SmallDisk } from '../fixtures/small-disk'
import { sqlValue } from '../fixtures/sql'
import { AS_OWNER, ensureCliBuilt, initPassphraseDb, ownerStdin, tessera } from '../cli/helpers'

/**
 * The disk under the database fails: it fills up, or it becomes read-only. Each time people get a
 * sentence that says what to fix, nothing of the action is saved (no half-created person, no stray
 * audit event), and the same action works once the disk is fixed, without a restart.
 */
const disk = onPostgres ? 'the team database is on its server' : smallDisk()
const skip = typeof disk === 'string' ? disk : ''
if (skip && !onPostgres) console.warn(`[faults] disk faults skipped: ${skip}`)

const OWNER = { email: 'olga.owner@example.com', name: 'Olga Owner', password: 'violet-harbour-lantern-42' }
const PASSPHRASE = 'database passphrase for tests'
const codeOf = (r: Result<unknown>) => (r.ok ? 'OK' : r.error.code)
const messageOf = (r: Result<unknown>) => (r.ok ? '' : r.error.message)

describe.skipIf(skip !== '')('a full or read-only disk under the database file', () => {
  const d = disk as SmallDisk
  let backend: Backend
  const clock = new ManualClock(Date.UTC(2026, 10, 30, 9))
  const start = async () => {
    backend = await startTestBackend({ dir: d.dir, clock })
    return gateFor(backend)
  }
  const counts = async () => ({
    users: await sqlValue<number>(backend.services().db, 'SELECT count(*) FROM users'),
    events: await backend.services().audit.count(),
  })
  const invite = (email: string) => ({ email, name: email.split('@')[0], role: 'member' })

  beforeAll(ensureCliBuilt)
  beforeEach(async () => {
    d.writable()
    d.free()
  })
  afterEach(async () => {
    await backend?.close()
    d.writable()
    d.free()
    for (const f of readdirSync(d.dir)) rmSync(join(d.dir, f), { recursive: true, force: true })
  })
  afterAll(() => d.cleanup())

  it('disk full: says so, saves nothing of the action, and the same action works once there is room', async () => {
    const gate = await start()
    expect(
      codeOf(
        await gate('w', 'setup.createOwner', { ...OWNER, keyStore: 'passphrase', passphrase: PASSPHRASE }),
      ),
    ).toBe('OK')
    const before = await counts()
    d.fill()
    for (const email of ['mia@example.com', 'noah@example.com']) {
      const r = await gate('w', 'users.create', invite(email))
      expect(codeOf(r)).toBe('DATABASE')
      expect(messageOf(r)).toBe(
        'The disk that holds the database is full: nothing of this action was saved. Free some space, then try again.',
      )
    }
    d.free()
    expect(await counts()).toEqual(before)
    expect(await backend.services().checkFile()).toEqual({ integrity: ['ok'], foreignKeys: [] })
    expect(codeOf(await gate('w', 'users.create', invite('mia@example.com')))).toBe('OK')
    expect(await counts()).toEqual({ users: before.users + 1, events: before.events + 1 })
    expect((await backend.services().audit.verify()).ok).toBe(true)
  })

  it('read-only: opening says the file cannot be written instead of calling it damaged, and opens once writable', async () => {
    const gate = await start()
    expect(
      codeOf(
        await gate('w', 'setup.createOwner', { ...OWNER, keyStore: 'passphrase', passphrase: PASSPHRASE }),
      ),
    ).toBe('OK')
    await backend.close()
    d.readOnly()
    const again = await start()
    const refused = await again('w', 'database.unlock', { passphrase: PASSPHRASE })
    expect(codeOf(refused)).toBe('DATABASE')
    expect(messageOf(refused)).toBe(
      `${join(d.dir, 'tessera.db')} cannot be written: the file is read-only (a read-only disk). Tessera writes to the file and, for its journal, to its folder: make them writable, then open it again.`,
    )
    d.writable()
    expect(codeOf(await again('w', 'database.unlock', { passphrase: PASSPHRASE }))).toBe('OK')
    expect(codeOf(await again('w', 'auth.login', { email: OWNER.email, password: OWNER.password }))).toBe(
      'OK',
    )
    expect(codeOf(await again('w', 'users.create', invite('mia@example.com')))).toBe('OK')
  })

  it('the CLI exits 33 (DB_NOT_WRITABLE) with the same sentences, and the command works once the disk is fixed', () => {
    const db = join(d.dir, 'cli.db')
    const env = initPassphraseDb(db)
    const add = (email: string) =>
      tessera(
        ['--db', db, 'users', 'add', '--email', email, '--name', 'Mia', '--role', 'member', ...AS_OWNER],
        {
          input: ownerStdin(),
          env,
        },
      )
    d.fill()
    const full = add('mia@example.com')
    expect(full.status, full.stderr).toBe(33)
    expect(full.stderr).toContain(
      'The disk that holds the database is full: nothing of this action was saved.',
    )
    d.free()
    d.readOnly()
    const readOnly = add('mia@example.com')
    expect(readOnly.status, readOnly.stderr).toBe(33)
    expect(readOnly.stderr).toContain(`${db} cannot be written: the file is read-only (a read-only disk).`)
    d.writable()
    const ok = add('mia@example.com')
    expect(ok.status, ok.stderr).toBe(0)
  })
})
