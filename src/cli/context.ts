import { existsSync, readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import { systemClock } from '../main/adapters/clock'
import { createKeytarKeychain, KEYCHAIN_SERVICE, type Keychain } from '../main/adapters/keychain'
import type { ClientInfo } from '../main/core/client'
import { PasswordPolicy } from '../main/core/passwords'
import { resolveDbPath } from '../main/core/paths'
import { openServices, type DatabaseKdf } from '../main/core/database'
import type { ServiceDeps, Services } from '../main/core/services'
import { readDbPassphrase } from './secrets'

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

export function createContext(
  env: NodeJS.ProcessEnv,
  options: { json: boolean; db: string | undefined },
): CliContext {
  const keychain = createKeytarKeychain(env.TESSERA_KEYCHAIN_SERVICE || KEYCHAIN_SERVICE)
  let policy: PasswordPolicy | undefined
  const ctx: CliContext = {
    env,
    json: options.json,
    dbPath: resolve(resolveDbPath(options.db, env)),
    keychain,
    client: { via: 'cli', machine: hostname() },
    kdf: env.TESSERA_TEST_FAST_KDF === '1' ? { memoryCost: 8192, timeCost: 1 } : undefined,
    passwordPolicy: () => (policy ??= PasswordPolicy.fromFile(commonPasswordsFile(env))),
    serviceDeps: () => ({ clock: systemClock, passwordPolicy: ctx.passwordPolicy(), keychain }),
    async withServices(fn) {
      const services = await openServices(
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
