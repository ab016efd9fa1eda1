import { existsSync } from 'node:fs'
import type { AuditVerification, DatabaseStatus } from '../../shared/dto'
import { copyDatabase } from '../db/copy'
import { TWILIO_TOKEN_SETTING, SMTP_PASSWORD_SETTING } from '../db/sealed'
import type { ConnectionOptions } from '../db/connection'
import { keyInfoPath, type KdfParams } from '../db/keyinfo'
import { createDatabase, openDatabase, type CreateDatabaseOptions, type KeySources } from '../db/open'
import type { CreateTeamOptions, TeamKeySources } from '../db/postgres/open'
import type { PoolOptions } from '../db/postgres/store'
import { buildServices, type ServiceDeps, type Services } from './services'

/**
 * The team database (PostgreSQL) code, loaded when a team database is used: opening the file need not
 * load it (it imports Argon2, pg's dialect and the server schema).
 */
const teamModules = () => Promise.all([import('../db/postgres/open'), import('./team')])

/**
 * Opening and creating the database, for the adapters (the CLI; the console goes through Backend): the
 * services over it, never the connection. Every open runs every check (key, format, version).
 */
export type { KeySources, TeamKeySources }
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

/** Opens a team database (PostgreSQL) with every check (reachable, schema version, team key). */
export async function openTeamServices(
  url: string,
  sources: TeamKeySources,
  deps: ServiceDeps,
  pool: PoolOptions = {},
): Promise<Services> {
  const [{ openTeamDatabase }, { teamOpened }] = await teamModules()
  return buildServices(teamOpened(await openTeamDatabase(url, sources, pool)), deps)
}

/**
 * Creates the schema, the team key and the owner (through `initialize`) in an empty PostgreSQL database,
 * in one transaction: if anything fails, the database is left empty.
 */
export async function createTeamServices(
  url: string,
  options: Omit<CreateTeamOptions, 'initialize'>,
  deps: ServiceDeps,
  initialize: (services: Services) => Promise<void>,
): Promise<Services> {
  const [{ createTeamDatabase }, { teamOpened }] = await teamModules()
  let services: Services | undefined
  await createTeamDatabase(url, {
    ...options,
    initialize: async (created) => {
      services = buildServices(teamOpened(created), deps)
      await initialize(services)
    },
  })
  return services!
}

export interface CopyResult {
  tables: Record<string, number>
  target: DatabaseStatus
  targetCheck: { integrity: string[]; audit: AuditVerification }
}

/**
 * Moves a desktop database up to a team database: creates it on an empty PostgreSQL database with a new
 * team key and copies everything (users, 2FA state, backup-code history, phones, recovery requests,
 * outbox, settings and the Twilio token, the audit trail), sealing secrets under the team key. The file
 * is held still (its write lock) for the copy, and the target is created in one transaction: a failure
 * leaves the file as it was and the server database empty. The target is then checked like any other.
 */
export async function copyToTeamDatabase(
  source: Services,
  url: string,
  options: Omit<CreateTeamOptions, 'initialize'>,
  deps: ServiceDeps,
): Promise<CopyResult> {
  const [{ createTeamDatabase }, { teamOpened }] = await teamModules()
  const token = await source.sms.storedAuthToken()
  const smtpPassword = await source.email.storedPassword()
  let tables: Record<string, number> = {}
  const created = await createTeamDatabase(url, {
    ...options,
    initialize: (opened) =>
      source.db.transaction(async () => {
        ;({ tables } = await copyDatabase(source.db, opened.db, {
          settings: {
            ...(token ? { [TWILIO_TOKEN_SETTING]: token } : {}),
            ...(smtpPassword ? { [SMTP_PASSWORD_SETTING]: smtpPassword } : {}),
          },
        }))
      }),
  })
  const target = buildServices(teamOpened(created), deps)
  try {
    return {
      tables,
      target: await target.status(),
      targetCheck: { integrity: (await target.checkFile()).integrity, audit: await target.audit.verify() },
    }
  } finally {
    await target.close()
  }
}
