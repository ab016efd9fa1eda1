import { hashRaw } from '../adapters/argon2'
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import type { KeyStore } from '../../shared/schemas'
import { KeychainUnavailableError, type Keychain } from '../adapters/keychain'
import { createEncrypted, openEncrypted, type ConnectionOptions, type Db } from './connection'
import { DatabaseOpenError } from './errors'
import { sqliteStore } from './sqlite/store'
import type { Store } from './store'
import { keyInfoPath, readKeyInfo, writeKeyInfo, type KdfParams, type KeyInfo } from './keyinfo'

/** Argon2id for the database key: stronger than for login passwords, since it guards the whole file. */
export const DB_KDF_DEFAULTS = { memoryCost: 65536, timeCost: 3, parallelism: 1 } as const
/**
 * The weakest parameters a database key is ever derived with, whatever a caller asks for (tests ask for
 * lighter ones to run fast): OWASP's minimum for Argon2id, the same as for login passwords.
 */
export const DB_KDF_FLOOR = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export interface KeySources {
  keychain: Keychain
  /** Asked only for a passphrase-protected database. */
  passphrase?: () => Promise<string | undefined> | string | undefined
}

/** How a database's key is kept: this machine's keychain, a passphrase, or a team key (PostgreSQL). */
export type DatabaseKeyStore = KeyStore | 'team'

/** An open database of either engine, as the services need it. */
export interface OpenedDatabase {
  /** Where every query runs. */
  db: Store
  /** The file's path, or the server and database name of a team database (never its password). */
  location: string
  /** The database's own id: the keychain account of its key and of the secrets kept beside it. */
  databaseId: string
  keyStore: DatabaseKeyStore
  /** Whether `typed` is the database's key or passphrase (the CLI's key-holder mode), in constant time. */
  isKey(typed: string): Promise<boolean>
  /**
   * The file as a second reader opens it (audit verification in worker threads): its path, raw key and
   * native addon. Absent on a team database. The key is handed to those readers only, never logged.
   */
  chainFile?: ChainFileSource
}

export interface ChainFileSource {
  path: string
  key: Buffer
  nativeBinding?: string
}

/** The desktop file: the same, with the SQLite handle for what only the file's engine does. */
export interface OpenedFile extends OpenedDatabase {
  file: Db
  path: string
  keyInfo: KeyInfo
}

function opened(
  file: Db,
  path: string,
  keyInfo: KeyInfo,
  key: Buffer,
  options: ConnectionOptions,
): OpenedFile {
  const chainFile: ChainFileSource = {
    path,
    key: Buffer.from(key),
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  }
  // Not enumerable: an OpenedFile printed or serialized by mistake does not show the key.
  const result: OpenedFile = {
    db: sqliteStore(file),
    location: path,
    databaseId: keyInfo.databaseId,
    keyStore: keyInfo.keyStore,
    isKey: (typed) => isDatabaseKey(keyInfo, typed),
    file,
    path,
    keyInfo,
  }
  Object.defineProperty(result, 'chainFile', { value: chainFile, enumerable: false })
  return result
}

const KEY_CHECK_LABEL = 'tessera database key check v1'

export const keyCheckOf = (key: Buffer): string =>
  createHmac('sha256', key).update(KEY_CHECK_LABEL).digest('hex')

function keyMatches(key: Buffer, expected: string): boolean {
  const a = Buffer.from(keyCheckOf(key), 'hex')
  const b = Buffer.from(expected, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function deriveKey(passphrase: string, kdf: KdfParams): Promise<Buffer> {
  const raw = await hashRaw(passphrase, {
    memoryCost: kdf.memoryCost,
    timeCost: kdf.timeCost,
    parallelism: kdf.parallelism,
    outputLen: 32,
    salt: Buffer.from(kdf.salt, 'base64'),
  })
  return Buffer.from(raw)
}

async function keychainCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof KeychainUnavailableError) {
      throw new DatabaseOpenError(
        'KEYCHAIN_UNAVAILABLE',
        `${e.message}. Start a keyring (Secret Service on a D-Bus session), or use a passphrase-protected database.`,
      )
    }
    throw e
  }
}

async function requirePassphrase(sources: KeySources): Promise<string> {
  const p = await sources.passphrase?.()
  if (!p) {
    throw new DatabaseOpenError(
      'PASSPHRASE_REQUIRED',
      'This database is protected by a passphrase: set TESSERA_DB_PASSPHRASE or type it when asked.',
    )
  }
  return p
}

/**
 * Whether `typed` is this database's key: its 64 hex digits (as the keychain holds it), or, for a
 * passphrase-protected database, the passphrase. Compared in constant time through the key check value.
 */
export async function isDatabaseKey(info: KeyInfo, typed: string): Promise<boolean> {
  const hex = typed.trim()
  if (/^[0-9a-fA-F]{64}$/.test(hex) && keyMatches(Buffer.from(hex, 'hex'), info.keyCheck)) return true
  if (!info.kdf) return false
  return keyMatches(await deriveKey(typed, info.kdf), info.keyCheck)
}

async function loadKey(info: KeyInfo, sources: KeySources): Promise<Buffer> {
  if (info.keyStore === 'keychain') {
    const hex = await keychainCall(() => sources.keychain.get(info.databaseId))
    if (!hex) {
      throw new DatabaseOpenError(
        'KEY_MISSING',
        `The key of this database is not in the keychain (service "Tessera", account ${info.databaseId}), or the keyring is locked.`,
      )
    }
    const key = Buffer.from(hex, 'hex')
    if (!keyMatches(key, info.keyCheck)) {
      throw new DatabaseOpenError('WRONG_KEY', 'The key stored in the keychain does not open this database.')
    }
    return key
  }
  if (!info.kdf) throw new DatabaseOpenError('CORRUPT', 'The key information file lacks its KDF parameters.')
  const key = await deriveKey(await requirePassphrase(sources), info.kdf)
  if (!keyMatches(key, info.keyCheck)) {
    throw new DatabaseOpenError('WRONG_KEY', 'The passphrase is wrong: it does not open this database.')
  }
  return key
}

/** Opens an existing Tessera database. Nothing is written unless every check passes. */
export async function openDatabase(
  path: string,
  sources: KeySources,
  options: ConnectionOptions = {},
): Promise<OpenedFile> {
  if (!existsSync(path)) {
    throw new DatabaseOpenError(
      'NOT_FOUND',
      `No Tessera database at ${path}. Create one with "tessera init".`,
    )
  }
  const keyInfo = readKeyInfo(path)
  const key = await loadKey(keyInfo, sources)
  return opened(openEncrypted(path, key, options), path, keyInfo, key, options)
}

export interface CreateDatabaseOptions extends ConnectionOptions {
  keyStore: KeyStore
  keychain: Keychain
  passphrase?: string
  kdf?: Partial<Omit<KdfParams, 'salt' | 'algorithm'>>
  /** Runs inside creation; when it throws, the database, its key file and keychain entry are removed. */
  initialize?: (opened: OpenedFile) => void | Promise<void>
}

/** Creates a new database: random key in the keychain, or a key derived from a passphrase. */
export async function createDatabase(path: string, options: CreateDatabaseOptions): Promise<OpenedFile> {
  if (existsSync(path) || existsSync(keyInfoPath(path))) {
    throw new DatabaseOpenError(
      'ALREADY_EXISTS',
      `A database already exists at ${path}; nothing was changed.`,
    )
  }
  const databaseId = randomUUID()
  let key: Buffer
  let kdf: KdfParams | undefined
  if (options.keyStore === 'keychain') {
    key = randomBytes(32)
    await keychainCall(() => options.keychain.set(databaseId, key.toString('hex')))
  } else {
    if (!options.passphrase) {
      throw new DatabaseOpenError('PASSPHRASE_REQUIRED', 'A passphrase is needed to create this database.')
    }
    const asked = { ...DB_KDF_DEFAULTS, ...options.kdf }
    kdf = {
      algorithm: 'argon2id',
      memoryCost: Math.max(asked.memoryCost, DB_KDF_FLOOR.memoryCost),
      timeCost: Math.max(asked.timeCost, DB_KDF_FLOOR.timeCost),
      parallelism: Math.max(asked.parallelism, DB_KDF_FLOOR.parallelism),
      salt: randomBytes(16).toString('base64'),
    }
    key = await deriveKey(options.passphrase, kdf)
  }
  const keyInfo: KeyInfo = {
    format: 1,
    databaseId,
    keyStore: options.keyStore,
    ...(kdf ? { kdf } : {}),
    keyCheck: keyCheckOf(key),
  }
  let created: OpenedFile | undefined
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    created = opened(createEncrypted(path, key, options), path, keyInfo, key, options)
    await options.initialize?.(created)
    writeKeyInfo(path, keyInfo)
    return created
  } catch (e) {
    await created?.db.close()
    for (const f of [path, `${path}-wal`, `${path}-shm`, keyInfoPath(path)]) rmSync(f, { force: true })
    if (options.keyStore === 'keychain') await options.keychain.delete(databaseId).catch(() => false)
    throw e
  }
}
