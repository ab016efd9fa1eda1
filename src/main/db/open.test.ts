import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/fixtures/temp'
import { testKeychain, unreachableKeychain } from '../../../test/fixtures/keychain'
import { createDatabase, openDatabase } from './open'
import { keyInfoPath } from './keyinfo'
import { LATEST_SCHEMA_VERSION } from './migrations'
import { DatabaseOpenError } from './errors'

const FAST_KDF = { memoryCost: 8192, timeCost: 1 }
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (e instanceof DatabaseOpenError) return e.reason
    throw e
  }
  throw new Error('expected the open to fail')
}

describe('encrypted database', () => {
  let t: ReturnType<typeof tempDir>
  let path: string
  const keychain = testKeychain()
  beforeEach(() => {
    t = tempDir()
    path = join(t.dir, 'tessera.db')
  })
  afterEach(() => t.cleanup())

  it('creates a SQLCipher 4 file with WAL, FULL sync, foreign keys and the latest schema', async () => {
    const { file: db } = await createDatabase(path, {
      keyStore: 'passphrase',
      passphrase: 'correct horse battery',
      keychain,
      kdf: FAST_KDF,
    })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0)
    db.prepare("INSERT INTO settings (key, value) VALUES ('marker', 'visible-only-when-decrypted')").run()
    db.close()
    const bytes = readFileSync(path)
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0')
    expect(bytes.includes(Buffer.from('visible-only-when-decrypted'))).toBe(false)
    expect(bytes.includes(Buffer.from('CREATE TABLE'))).toBe(false)
    // An ordinary SQLite build cannot read it.
    const plain = new Database(path)
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/)
    plain.close()
  })

  it('reopens with the right passphrase and refuses a wrong one without touching the file', async () => {
    const created = await createDatabase(path, {
      keyStore: 'passphrase',
      passphrase: 'correct horse battery',
      keychain,
      kdf: FAST_KDF,
    })
    created.file.close()
    const before = sha(path)
    expect(await reasonOf(openDatabase(path, { keychain, passphrase: () => 'wrong horse battery' }))).toBe(
      'WRONG_KEY',
    )
    expect(await reasonOf(openDatabase(path, { keychain }))).toBe('PASSPHRASE_REQUIRED')
    expect(sha(path)).toBe(before)
    const { file: db } = await openDatabase(path, { keychain, passphrase: () => 'correct horse battery' })
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0)
    db.close()
  })

  it('keeps a random key in the OS keychain and says so when it is missing', async () => {
    const created = await createDatabase(path, { keyStore: 'keychain', keychain })
    const id = created.keyInfo.databaseId
    created.file.close()
    const stored = await keychain.get(id)
    expect(stored).toMatch(/^[0-9a-f]{64}$/)
    expect(readFileSync(keyInfoPath(path), 'utf8')).not.toContain(stored!)
    const { file: db } = await openDatabase(path, { keychain })
    db.close()
    await keychain.delete(id)
    const before = sha(path)
    expect(await reasonOf(openDatabase(path, { keychain }))).toBe('KEY_MISSING')
    expect(sha(path)).toBe(before)
  })

  it('refuses a wrong key stored in the keychain', async () => {
    const created = await createDatabase(path, { keyStore: 'keychain', keychain })
    created.file.close()
    await keychain.set(created.keyInfo.databaseId, 'ab'.repeat(32))
    expect(await reasonOf(openDatabase(path, { keychain }))).toBe('WRONG_KEY')
    await keychain.delete(created.keyInfo.databaseId)
  })

  it('reports an unreachable keychain as such', async () => {
    expect(
      await reasonOf(createDatabase(path, { keyStore: 'keychain', keychain: unreachableKeychain() })),
    ).toBe('KEYCHAIN_UNAVAILABLE')
    expect(existsSync(path)).toBe(false)
    expect(existsSync(keyInfoPath(path))).toBe(false)
  })

  it('tells a plain SQLite file, a stranger file and a damaged file apart', async () => {
    const plain = new Database(path)
    plain.exec('CREATE TABLE t (x)')
    plain.close()
    expect(await reasonOf(openDatabase(path, { keychain }))).toBe('NOT_TESSERA')

    const other = join(t.dir, 'notes.db')
    writeFileSync(other, 'just some text, not a database at all')
    expect(await reasonOf(openDatabase(other, { keychain }))).toBe('NOT_TESSERA')

    const real = join(t.dir, 'real.db')
    const created = await createDatabase(real, {
      keyStore: 'passphrase',
      passphrase: 'correct horse battery',
      keychain,
      kdf: FAST_KDF,
    })
    created.file.close()
    const bytes = readFileSync(real)
    bytes.fill(0x41, 0, 4096)
    writeFileSync(real, bytes)
    const before = sha(real)
    expect(await reasonOf(openDatabase(real, { keychain, passphrase: () => 'correct horse battery' }))).toBe(
      'CORRUPT',
    )
    expect(sha(real)).toBe(before)
  })

  it('refuses a database whose schema is newer than the code and leaves it as it was', async () => {
    const created = await createDatabase(path, {
      keyStore: 'passphrase',
      passphrase: 'correct horse battery',
      keychain,
      kdf: FAST_KDF,
    })
    created.file.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    created.file.pragma('wal_checkpoint(TRUNCATE)')
    created.file.close()
    const before = sha(path)
    const err = openDatabase(path, { keychain, passphrase: () => 'correct horse battery' })
    await expect(err).rejects.toThrow(/newer version of Tessera/)
    expect(sha(path)).toBe(before)
  })

  it('will not create over an existing database', async () => {
    const created = await createDatabase(path, {
      keyStore: 'passphrase',
      passphrase: 'correct horse battery',
      keychain,
      kdf: FAST_KDF,
    })
    created.file.close()
    const before = sha(path)
    expect(
      await reasonOf(
        createDatabase(path, {
          keyStore: 'passphrase',
          passphrase: 'another passphrase',
          keychain,
          kdf: FAST_KDF,
        }),
      ),
    ).toBe('ALREADY_EXISTS')
    expect(sha(path)).toBe(before)
  })

  it('removes everything when initialization fails half-way', async () => {
    await expect(
      createDatabase(path, {
        keyStore: 'keychain',
        keychain,
        initialize: () => {
          throw new Error('boom')
        },
      }),
    ).rejects.toThrow('boom')
    expect(existsSync(path)).toBe(false)
    expect(existsSync(keyInfoPath(path))).toBe(false)
  })
})
