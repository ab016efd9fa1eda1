import { createHash } from 'node:crypto'
import { chmodSync, existsSync, writeFileSync } from 'node:fs'
import { KeychainUnavailableError, type Keychain } from '../adapters/keychain'
import type { OpenedDatabase } from '../db/open'
import type { OpenedTeamDatabase } from '../db/postgres/open'
import { describeUrl } from '../db/postgres/store'

/** A team database as the services see it: located by server and database name, never its password. */
export function teamOpened(opened: OpenedTeamDatabase): OpenedDatabase {
  return {
    db: opened.db,
    location: `postgres://${describeUrl(opened.url)}`,
    databaseId: opened.databaseId,
    keyStore: 'team',
    isKey: opened.isKey,
  }
}

/**
 * A console that created or joined a team database remembers where it is: the address (which may carry
 * the server password) in the keychain, and beside where the file would be, a marker saying "this
 * console uses a team database" with only the server and database name in it.
 */
const markerPath = (dbPath: string): string => `${dbPath}.team.json`
const account = (dbPath: string): string =>
  `team-database-url:${createHash('sha256').update(dbPath).digest('hex').slice(0, 16)}`

export async function rememberTeamUrl(keychain: Keychain, dbPath: string, url: string): Promise<void> {
  try {
    await keychain.set(account(dbPath), url)
  } catch (e) {
    if (e instanceof KeychainUnavailableError) return // TESSERA_DATABASE_URL then says where it is.
    throw e
  }
  writeFileSync(markerPath(dbPath), `${JSON.stringify({ database: describeUrl(url) })}\n`, { mode: 0o600 })
  chmodSync(markerPath(dbPath), 0o600)
}

export async function rememberedTeamUrl(keychain: Keychain, dbPath: string): Promise<string | undefined> {
  if (!existsSync(markerPath(dbPath))) return undefined
  try {
    return (await keychain.get(account(dbPath))) ?? undefined
  } catch (e) {
    if (e instanceof KeychainUnavailableError) return undefined
    throw e
  }
}
