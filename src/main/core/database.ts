import { existsSync } from 'node:fs'
import type { ConnectionOptions } from '../db/connection'
import { keyInfoPath, type KdfParams } from '../db/keyinfo'
import { createDatabase, openDatabase, type CreateDatabaseOptions, type KeySources } from '../db/open'
import { buildServices, type ServiceDeps, type Services } from './services'

/**
 * Opening and creating the database, for the adapters (the CLI; the console goes through Backend): the
 * services over it, never the connection. Every open runs every check (key, format, version).
 */
export type { KeySources }
export type DatabaseKdf = Partial<Omit<KdfParams, 'salt' | 'algorithm'>>

/** Whether a database (or the key file of one) is already at `path`. */
export const databaseExists = (path: string): boolean => existsSync(path) || existsSync(keyInfoPath(path))

export async function openServices(
  path: string,
  sources: KeySources,
  deps: ServiceDeps,
  connection: ConnectionOptions = {},
): Promise<Services> {
  return buildServices(await openDatabase(path, sources, connection), deps)
}

/**
 * Creates the database and runs `initialize` on its services (the first owner); if anything fails,
 * neither the file, its key file nor its keychain entry is left behind.
 */
export async function createServices(
  path: string,
  options: Omit<CreateDatabaseOptions, 'initialize'>,
  deps: ServiceDeps,
  initialize: (services: Services) => Promise<void>,
): Promise<Services> {
  const opened = await createDatabase(path, {
    ...options,
    initialize: async (created) => initialize(buildServices(created, deps)),
  })
  return buildServices(opened, deps)
}
