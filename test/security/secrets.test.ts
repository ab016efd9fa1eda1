import { onPostgres } from '../fixtures/engine'
import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { writeFileAtomically } from '../../src/cli/files'
import { devServerUrl } from '../../src/main/ipc/security'
import { ensureCliBuilt, initPassphraseDb } from '../cli/helpers'
import { value } from '../fixtures/results'
import { sqlAll } from '../fixtures/sql'
import { tempDir } from '../fixtures/temp'
import { startWorld, type World } from './world'

const modeOf = (p: string) => statSync(p).mode & 0o777

// Rule 8: secrets stay secret — no sent SMS keeps its code in the database, the test-only fast KDF cannot
// weaken a real database, every file Tessera writes is private and no temporary file follows a symlink,
// and the renderer is never loaded from an address outside this machine.
describe('secrets stay secret', () => {
  describe('in the database', () => {
    let w: World
    beforeEach(async () => {
      w = await startWorld()
    })
    afterEach(() => w.cleanup())

    it('keeps no code in the text of an SMS once it is sent', async () => {
      const mia = await w.addPerson(w.owner, 'member', 'mia@example.com', { phone: '+34612345123' })
      value(await w.as(mia, 'auth.login', { email: mia.email, password: mia.password }))
      value(await w.as(mia, 'auth.sendSmsCode'))
      value(await w.as(mia, 'auth.verifySmsCode', { code: w.lastSmsCode() }))
      value(await w.as(mia, 'auth.logout'))
      const max = await w.addPerson(w.owner, 'member', 'max@example.com', { phone: '+34612345999' })
      await w.recoverThroughSupport(max)
      const rows = await sqlAll<{ kind: string; status: string; body: string }>(
        w.db(),
        "SELECT kind, status, body FROM sms_outbox WHERE status IN ('sent', 'delivered', 'failed')",
      )
      expect(rows.map((r) => r.kind)).toEqual(
        expect.arrayContaining(['phone_verification', 'login_code', 'access_code']),
      )
      for (const r of rows) {
        expect(r.body, r.kind).not.toMatch(/\b\d{6}\b/)
        expect(r.body, r.kind).not.toMatch(/[0-9A-Z]{5}-[0-9A-Z]{5}-/)
      }
    })

    // File modes belong to the file; what a team database's server keeps is searched in test/cli/team.test.ts.
    it.skipIf(onPostgres)(
      'creates the database, its WAL and SHM and its key file readable by the owner only',
      async () => {
        const dir = w.h.dbPath.replace(/\/tessera\.db$/, '')
        for (const f of ['tessera.db', 'tessera.db-wal', 'tessera.db-shm', 'tessera.db.keyinfo.json']) {
          expect(existsSync(join(dir, f)), f).toBe(true)
          expect(modeOf(join(dir, f)).toString(8), f).toBe('600')
        }
      },
    )
  })

  describe('on disk, through the CLI', () => {
    let t: ReturnType<typeof tempDir>
    beforeAll(async () => {
      await ensureCliBuilt()
      t = tempDir()
    })
    afterAll(() => t.cleanup())

    // The file's key file; the team key's Argon2id floor is the same code path (TEAM_KDF_FLOOR).
    it.skipIf(onPostgres)(
      'never lets TESSERA_TEST_FAST_KDF weaken the key derivation of a real database',
      () => {
        const db = join(t.dir, 'fast.db')
        initPassphraseDb(db) // runs with TESSERA_TEST_FAST_KDF=1
        const info = JSON.parse(readFileSync(`${db}.keyinfo.json`, 'utf8')) as {
          kdf: { memoryCost: number; timeCost: number }
        }
        expect(info.kdf.memoryCost).toBeGreaterThanOrEqual(19456)
        expect(info.kdf.timeCost).toBeGreaterThanOrEqual(2)
        for (const f of ['fast.db', 'fast.db.keyinfo.json'])
          expect(modeOf(join(t.dir, f)).toString(8), f).toBe('600')
      },
    )

    it('writes through a temporary file that never follows a symlink planted in its place', async () => {
      const victim = join(t.dir, 'victim.txt')
      writeFileSync(victim, 'precious\n')
      const out = join(t.dir, 'export.csv')
      symlinkSync(victim, `${out}.tmp-${process.pid}`)
      await writeFileAtomically(out, ['a,b\n', '1,2\n'])
      expect(readFileSync(victim, 'utf8')).toBe('precious\n')
      expect(readFileSync(out, 'utf8')).toBe('a,b\n1,2\n')
      expect(modeOf(out).toString(8)).toBe('600')
    })
  })

  it('loads the renderer from a development server only in development and only on this machine', () => {
    expect(devServerUrl({ isPackaged: false, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } })).toBe(
      'http://localhost:5173',
    )
    expect(
      devServerUrl({ isPackaged: false, env: { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' } }),
    ).toBe('http://127.0.0.1:5173/')
    for (const url of [
      'http://evil.example.com',
      'https://192.168.1.10:5173',
      'http://localhost.evil.example',
      'file:///etc/passwd',
    ]) {
      expect(devServerUrl({ isPackaged: false, env: { ELECTRON_RENDERER_URL: url } }), url).toBeUndefined()
    }
    expect(
      devServerUrl({ isPackaged: true, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } }),
    ).toBeUndefined()
  })
})
