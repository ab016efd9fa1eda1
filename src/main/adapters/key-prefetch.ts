import { existsSync, readFileSync } from 'node:fs'
import { keyInfoPath } from '../db/keyinfo'
import type { Keychain } from './keychain'

/**
 * The keychain, with the key of the file at `dbPath` already being read when its key information file
 * says the key is in the keychain. The keyring answers over D-Bus in about 45 ms during which the CLI
 * would sit idle; started here, the answer comes while the database layer loads. openDatabase still reads
 * and checks the key information itself and asks for the key as before: the first get of that account
 * takes this answer (or its error), every other call goes to the keychain. A set or delete of the account
 * drops the early answer, so it is never stale.
 */
export function prefetchingDatabaseKey(keychain: Keychain, dbPath: string): Keychain {
  let account: string | undefined
  try {
    if (!existsSync(dbPath)) return keychain
    const info = JSON.parse(readFileSync(keyInfoPath(dbPath), 'utf8')) as unknown
    if (typeof info !== 'object' || info === null) return keychain
    const { keyStore, databaseId } = info as { keyStore?: unknown; databaseId?: unknown }
    if (keyStore !== 'keychain' || typeof databaseId !== 'string') return keychain
    account = databaseId
  } catch {
    // No readable key information: openDatabase reports that, with nothing read in advance.
    return keychain
  }
  let early: Promise<string | null> | undefined = keychain.get(account)
  // Its error, if any, is for openDatabase to report; a command that never opens the file drops it.
  early.catch(() => undefined)
  return {
    get: (a) => {
      if (a !== account || !early) return keychain.get(a)
      const answer = early
      early = undefined
      return answer
    },
    set: (a, secret) => {
      if (a === account) early = undefined
      return keychain.set(a, secret)
    },
    delete: (a) => {
      if (a === account) early = undefined
      return keychain.delete(a)
    },
  }
}
