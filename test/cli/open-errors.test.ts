import { onPostgres } from '../fixtures/engine'
import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createKeytarKeychain } from '../../src/main/adapters/keychain'
import { keyInfoPath, readKeyInfo } from '../../src/main/db/keyinfo'
import { tempDir } from '../fixtures/temp'
import { sqlRun } from '../fixtures/sql'
import {
  baseEnv,
  DB_PASSPHRASE,
  ensureCliBuilt,
  initPassphraseDb,
  openForTampering,
  OWNER_EMAIL,
  OWNER_NAME,
  OWNER_PASSWORD,
  sha256File,
  tessera,
} from './helpers'

// The file's own failures; a team database's are in team.test.ts.
describe.skipIf(onPostgres)('tessera on a database it cannot open', () => {
  let t: ReturnType<typeof tempDir>
  let db: string
  beforeAll(ensureCliBuilt)
  beforeEach(() => {
    t = tempDir()
    db = join(t.dir, 'tessera.db')
  })
  afterEach(() => t.cleanup())

  const status = (env: NodeJS.ProcessEnv) => tessera(['--db', db, 'status', '--json'], { env })
  const errorOf = (r: ReturnType<typeof tessera>) => r.json().error as Record<string, unknown>

  it('a wrong passphrase: exit 11, a clear message, and the files byte-identical', () => {
    initPassphraseDb(db)
    const before = [sha256File(db), sha256File(keyInfoPath(db))]
    const r = tessera(['--db', db, 'status'], {
      env: baseEnv({ TESSERA_DB_PASSPHRASE: 'a wrong passphrase here' }),
    })
    expect(r.status).toBe(11)
    expect(r.stderr).toBe('tessera: The passphrase is wrong: it does not open this database.\n')
    expect(r.stderr).not.toContain('a wrong passphrase here')
    expect([sha256File(db), sha256File(keyInfoPath(db))]).toEqual(before)
    const json = status(baseEnv({ TESSERA_DB_PASSPHRASE: 'a wrong passphrase here' }))
    expect(errorOf(json)).toMatchObject({ code: 'DATABASE', reason: 'WRONG_KEY' })
  })

  it('no TESSERA_DB_PASSPHRASE: exit 14', () => {
    initPassphraseDb(db)
    const r = status(baseEnv())
    expect(r.status).toBe(14)
    expect(errorOf(r)).toMatchObject({
      reason: 'PASSPHRASE_REQUIRED',
      message: expect.stringMatching(/TESSERA_DB_PASSPHRASE/) as unknown,
    })
  })

  it('no database at the path: exit 10, and nothing is created', () => {
    const r = status(baseEnv({ TESSERA_DB_PASSPHRASE: DB_PASSPHRASE }))
    expect(r.status).toBe(10)
    expect(errorOf(r)).toMatchObject({
      reason: 'NOT_FOUND',
      message: expect.stringMatching(/tessera init/) as unknown,
    })
  })

  it('a plain file: exit 15, file untouched', () => {
    writeFileSync(db, 'just some notes\n')
    const before = sha256File(db)
    const r = status(baseEnv({ TESSERA_DB_PASSPHRASE: DB_PASSPHRASE }))
    expect(r.status).toBe(15)
    expect(errorOf(r)).toMatchObject({ reason: 'NOT_TESSERA' })
    expect(sha256File(db)).toBe(before)
  })

  it('a damaged key information file: exit 16', () => {
    initPassphraseDb(db)
    writeFileSync(keyInfoPath(db), '{ not json')
    const r = status(baseEnv({ TESSERA_DB_PASSPHRASE: DB_PASSPHRASE }))
    expect(r.status).toBe(16)
    expect(errorOf(r)).toMatchObject({ reason: 'CORRUPT' })
  })

  it('a database from a newer version: exit 17, file untouched', async () => {
    const env = initPassphraseDb(db)
    const opened = await openForTampering(db)
    await sqlRun(opened.db, 'PRAGMA user_version = 99')
    await opened.db.close()
    const before = sha256File(db)
    const r = tessera(['--db', db, 'status'], { env })
    expect(r.status).toBe(17)
    expect(r.stderr).toMatch(/newer version of Tessera \(schema 99\)/)
    expect(sha256File(db)).toBe(before)
  })

  describe('keychain mode', () => {
    const service = `Tessera-test-${randomUUID()}`
    const keychainEnv = () => baseEnv({ TESSERA_KEYCHAIN_SERVICE: service })
    const init = () => {
      const r = tessera(['--db', db, 'init', '--owner-email', OWNER_EMAIL, '--owner-name', OWNER_NAME], {
        input: `${OWNER_PASSWORD}\n`,
        env: keychainEnv(),
      })
      expect(r.status).toBe(0)
      return readKeyInfo(db).databaseId
    }

    it('the key deleted from the keychain: exit 12', async () => {
      const databaseId = init()
      expect(await createKeytarKeychain(service).delete(databaseId)).toBe(true)
      const r = status(keychainEnv())
      expect(r.status).toBe(12)
      expect(errorOf(r)).toMatchObject({ reason: 'KEY_MISSING' })
    })

    it('no D-Bus session at all: exit 13', async () => {
      const databaseId = init()
      const before = sha256File(db)
      const r = status(
        baseEnv({
          TESSERA_KEYCHAIN_SERVICE: service,
          DBUS_SESSION_BUS_ADDRESS: undefined,
          DISPLAY: undefined,
          TESSERA_IN_KEYRING: undefined,
        }),
      )
      expect(r.status).toBe(13)
      expect(errorOf(r)).toMatchObject({
        reason: 'KEYCHAIN_UNAVAILABLE',
        message: expect.stringMatching(/keychain is not available/) as unknown,
      })
      expect(sha256File(db)).toBe(before)
      await createKeytarKeychain(service).delete(databaseId)
    })

    it('another database key in the entry: exit 11', async () => {
      const databaseId = init()
      await createKeytarKeychain(service).set(databaseId, 'ab'.repeat(32))
      const r = status(keychainEnv())
      expect(r.status).toBe(11)
      expect(errorOf(r)).toMatchObject({ reason: 'WRONG_KEY' })
      await createKeytarKeychain(service).delete(databaseId)
    })
  })
})
