import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { keyInfoPath } from '../db/keyinfo'
import { prefetchingDatabaseKey } from './key-prefetch'
import type { Keychain } from './keychain'

const ACCOUNT = '5f0c8a52-3c1e-4d7a-9b8e-2f6a1d4c9e01'

/** A keychain that records its calls and answers each get with the entry it holds at that moment. */
function recordingKeychain(entries: Record<string, string> = {}) {
  const calls: string[] = []
  let fail: Error | undefined
  const keychain: Keychain = {
    get: (account) => {
      calls.push(`get ${account}`)
      return fail ? Promise.reject(fail) : Promise.resolve(entries[account] ?? null)
    },
    set: (account, secret) => {
      calls.push(`set ${account}`)
      entries[account] = secret
      return Promise.resolve()
    },
    delete: (account) => {
      calls.push(`delete ${account}`)
      const had = account in entries
      delete entries[account]
      return Promise.resolve(had)
    },
  }
  return { keychain, calls, failWith: (e: Error) => (fail = e) }
}

describe('prefetchingDatabaseKey', () => {
  let dir: string
  let dbPath: string
  const writeKeyInfo = (info: unknown) => writeFileSync(keyInfoPath(dbPath), JSON.stringify(info))

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-prefetch-'))
    dbPath = join(dir, 'tessera.db')
    writeFileSync(dbPath, 'not read by the prefetch')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('reads the key of a keychain database at once and hands that answer to the first get only', async () => {
    writeKeyInfo({ format: 1, databaseId: ACCOUNT, keyStore: 'keychain', keyCheck: '0'.repeat(64) })
    const { keychain, calls } = recordingKeychain({ [ACCOUNT]: 'ab'.repeat(32) })
    const early = prefetchingDatabaseKey(keychain, dbPath)
    expect(calls).toEqual([`get ${ACCOUNT}`])
    expect(await early.get(ACCOUNT)).toBe('ab'.repeat(32))
    expect(calls).toEqual([`get ${ACCOUNT}`])
    expect(await early.get(ACCOUNT)).toBe('ab'.repeat(32))
    expect(await early.get('another')).toBeNull()
    expect(calls).toEqual([`get ${ACCOUNT}`, `get ${ACCOUNT}`, 'get another'])
  })

  it('drops the early answer when the entry is set or deleted before it is used', async () => {
    writeKeyInfo({ format: 1, databaseId: ACCOUNT, keyStore: 'keychain', keyCheck: '0'.repeat(64) })
    const { keychain } = recordingKeychain({ [ACCOUNT]: 'old' })
    const early = prefetchingDatabaseKey(keychain, dbPath)
    await early.set(ACCOUNT, 'new')
    expect(await early.get(ACCOUNT)).toBe('new')
    const again = prefetchingDatabaseKey(keychain, dbPath)
    expect(await again.delete(ACCOUNT)).toBe(true)
    expect(await again.get(ACCOUNT)).toBeNull()
  })

  it('gives the error of the early read to the first get, and leaves no unhandled rejection', async () => {
    writeKeyInfo({ format: 1, databaseId: ACCOUNT, keyStore: 'keychain', keyCheck: '0'.repeat(64) })
    const { keychain, failWith } = recordingKeychain()
    failWith(new Error('no keyring'))
    const early = prefetchingDatabaseKey(keychain, dbPath)
    // Let the rejection settle before anyone asks: it must not be reported as unhandled.
    await new Promise((r) => setTimeout(r, 10))
    await expect(early.get(ACCOUNT)).rejects.toThrow('no keyring')
  })

  it('reads nothing in advance without a file, a readable key information file or a keychain key', () => {
    const { keychain, calls } = recordingKeychain()
    expect(prefetchingDatabaseKey(keychain, join(dir, 'missing.db'))).toBe(keychain)
    expect(prefetchingDatabaseKey(keychain, dbPath)).toBe(keychain)
    writeFileSync(keyInfoPath(dbPath), '{')
    expect(prefetchingDatabaseKey(keychain, dbPath)).toBe(keychain)
    writeKeyInfo(null)
    expect(prefetchingDatabaseKey(keychain, dbPath)).toBe(keychain)
    writeKeyInfo({ format: 1, databaseId: ACCOUNT, keyStore: 'passphrase', keyCheck: '0'.repeat(64) })
    expect(prefetchingDatabaseKey(keychain, dbPath)).toBe(keychain)
    expect(calls).toEqual([])
  })
})
