import { existsSync, readFileSync } from 'node:fs'
import { smtpCaFromEnv } from '../main/adapters/smtp-email'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { systemClock } from '../main/adapters/clock'
import { createKeytarKeychain, KEYCHAIN_SERVICE, type Keychain } from '../main/adapters/keychain'
import { prefetchingDatabaseKey } from '../main/adapters/key-prefetch'
import type { ClientInfo } from '../main/core/client'
import type { PasswordPolicy } from '../main/core/passwords'
import { resolveDbPath } from '../main/core/paths'
import type { DatabaseKdf } from '../main/core/database'
import { databaseUrlSchema } from '../shared/schemas'
import { usageError } from './errors'
import type { ServiceDeps, Services } from '../main/core/services'
import { readDbPassphrase, readTeamPassphrase } from './secrets'

/**
 * The project root: two folders up from src/cli/ (run from source, under vitest) and from out/main/ (the
 * bundle); three from out/main/chunks/, should the bundler move this code into a shared chunk.
 */
const projectRoot =
  [join(import.meta.dirname, '..', '..'), join(import.meta.dirname, '..', '..', '..')].find((d) =>
    existsSync(join(d, 'package.json')),
  ) ?? join(import.meta.dirname, '..', '..')

/** Everything a command needs from its surroundings, built once per run. */
export interface CliContext {
  env: NodeJS.ProcessEnv
  json: boolean
  dbPath: string
  /** A team database (PostgreSQL) instead of the file: --database-url, else TESSERA_DATABASE_URL. */
  databaseUrl: string | undefined
  keychain: Keychain
  client: ClientInfo
  /**
   * The lightest Argon2id the database key may have when TESSERA_TEST_FAST_KDF=1 (tests only): the
   * core never goes below its floor (m=19456 KiB, t=2), so this cannot weaken a real database.
   */
  kdf: DatabaseKdf | undefined
  passwordPolicy(): PasswordPolicy
  /** Opens the database with every check (key, format, version) and runs `fn` on its services. */
  withServices<T>(fn: (services: Services) => Promise<T> | T): Promise<T>
  serviceDeps(): ServiceDeps
}

export function cliVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version?: string }
    return pkg.version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

function commonPasswordsFile(env: NodeJS.ProcessEnv): string {
  const candidates = [env.TESSERA_RESOURCES_DIR, join(projectRoot, 'resources')].filter(
    (d): d is string => !!d,
  )
  const found = candidates.map((d) => join(d, 'common-passwords.txt')).find((p) => existsSync(p))
  if (!found) throw new Error(`The common-password list is missing (looked in ${candidates.join(', ')})`)
  return found
}

/**
 * A team database URL given in argv (`--database-url`, `db copy --to`). A password belongs in
 * TESSERA_DATABASE_URL, PGPASSWORD or ~/.pgpass: in argv, process lists and shell history would keep it.
 */
export function teamDatabaseUrl(flag: string | undefined, name = '--database-url'): string {
  const parsed = databaseUrlSchema.safeParse(flag)
  if (!parsed.success) throw usageError('INVALID_VALUE', `${name}: ${parsed.error.issues[0]?.message}`)
  if (new URL(parsed.data).password) {
    throw usageError(
      'SECRET_IN_ARGV',
      `The ${name} URL has a password in it: argv is seen by other users and kept in shell history. Give the password in PGPASSWORD or ~/.pgpass, or the whole URL in TESSERA_DATABASE_URL.`,
    )
  }
  return parsed.data
}

/** The team database to use: --database-url, else TESSERA_DATABASE_URL (which may carry the password). */
function teamDatabaseUrlOf(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag !== undefined) return teamDatabaseUrl(flag)
  if (!env.TESSERA_DATABASE_URL) return undefined
  const parsed = databaseUrlSchema.safeParse(env.TESSERA_DATABASE_URL)
  if (!parsed.success) {
    throw usageError('INVALID_VALUE', `TESSERA_DATABASE_URL: ${parsed.error.issues[0]?.message}`)
  }
  return parsed.data
}

/**
 * The context of a command that is about to run. The database layer (Kysely, SQLCipher, Argon2 and the
 * services) is loaded here rather than with the CLI, so help and usage errors do not pay for it.
 */
export async function createContext(
  env: NodeJS.ProcessEnv,
  options: { json: boolean; db: string | undefined; databaseUrl?: string | undefined },
): Promise<CliContext> {
  const dbPath = resolve(resolveDbPath(options.db, env))
  const databaseUrl = teamDatabaseUrlOf(options.databaseUrl, env)
  const plainKeychain = createKeytarKeychain(env.TESSERA_KEYCHAIN_SERVICE || KEYCHAIN_SERVICE)
  // Before the imports below, so that the keyring's answer overlaps their loading.
  const keychain = databaseUrl ? plainKeychain : prefetchingDatabaseKey(plainKeychain, dbPath)
  const [{ PasswordPolicy }, { openServices, openTeamServices }] = await Promise.all([
    import('../main/core/passwords'),
    import('../main/core/database'),
  ])
  let policy: PasswordPolicy | undefined
  const ctx: CliContext = {
    env,
    json: options.json,
    dbPath,
    databaseUrl,
    keychain,
    client: { via: 'cli', machine: hostname() },
    kdf: env.TESSERA_TEST_FAST_KDF === '1' ? { memoryCost: 8192, timeCost: 1 } : undefined,
    passwordPolicy: () => (policy ??= PasswordPolicy.fromFile(commonPasswordsFile(env))),
    serviceDeps: () => {
      let smtpCa: string | undefined
      try {
        smtpCa = smtpCaFromEnv(env)
      } catch (e) {
        throw usageError('INVALID_VALUE', (e as Error).message)
      }
      return {
        clock: systemClock,
        passwordPolicy: ctx.passwordPolicy(),
        keychain,
        ...(smtpCa ? { smtpCa } : {}),
      }
    },
    async withServices(fn) {
      const services = ctx.databaseUrl
        ? await openTeamServices(
            ctx.databaseUrl,
            { keychain, passphrase: () => readTeamPassphrase(env) },
            ctx.serviceDeps(),
            { max: 2 },
          )
        : await openServices(
            ctx.dbPath,
            { keychain, passphrase: () => readDbPassphrase(env) },
            ctx.serviceDeps(),
          )
      try {
        return await fn(services)
      } finally {
        await services.close()
      }
    },
  }
  return ctx
}
