import { hashRaw } from '@node-rs/argon2'
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type pg from 'pg'
import { z } from 'zod'
import { KeychainUnavailableError, type Keychain } from '../../adapters/keychain'
import { DatabaseOpenError } from '../errors'
import { LATEST_SCHEMA_VERSION } from '../migrations'
import type { Schema } from '../schema'
import { teamSealer } from '../sealing'
import type { Store } from '../store'
import { createPool, describeUrl, kyselyOver, postgresStore, type PoolOptions } from './store'
import {
  POSTGRES_SCHEMA,
  POSTGRES_UPGRADE_TO_11,
  POSTGRES_UPGRADE_TO_12,
  POSTGRES_UPGRADE_TO_13,
  POSTGRES_UPGRADE_TO_14,
  POSTGRES_UPGRADE_TO_15,
  POSTGRES_UPGRADE_TO_16,
} from './schema'

/** Argon2id for the team passphrase: it guards every secret of the account, like a file's passphrase. */
export const TEAM_KDF_DEFAULTS = { memoryCost: 65536, timeCost: 3, parallelism: 1 } as const
export const TEAM_KDF_FLOOR = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

const teamKeySchema = z.object({
  kdf: z.object({
    algorithm: z.literal('argon2id'),
    memoryCost: z.number().int().positive(),
    timeCost: z.number().int().positive(),
    parallelism: z.number().int().positive(),
    salt: z.string().min(16),
  }),
  /** The data key, AES-256-GCM under the passphrase's key: version ‖ iv ‖ tag ‖ ciphertext, base64. */
  wrapped: z.string(),
  /** HMAC of a fixed label under the data key: tells a wrong key from a damaged one. */
  check: z.string().regex(/^[0-9a-f]{64}$/),
})
type TeamKeyInfo = z.infer<typeof teamKeySchema>

export interface TeamKeySources {
  keychain: Keychain
  /** Asked only when this machine's keychain does not hold the team key. */
  passphrase?: () => Promise<string | undefined> | string | undefined
  /** Keep the key in this machine's keychain once the passphrase opened it (the console does). */
  remember?: boolean
}

export interface OpenedTeamDatabase {
  db: Store
  url: string
  databaseId: string
  /** Whether `typed` is the team passphrase or the team key (64 hex digits), in constant time. */
  isKey(typed: string): Promise<boolean>
}

function isTeamKey(databaseId: string, info: TeamKeyInfo): (typed: string) => Promise<boolean> {
  return async (typed) => {
    const hex = typed.trim()
    if (/^[0-9a-fA-F]{64}$/.test(hex) && checks(Buffer.from(hex, 'hex'), info)) return true
    const key = unwrap(info.wrapped, await kek(typed, info.kdf), databaseId)
    return key !== undefined && checks(key, info)
  }
}

const keyCheckOf = (key: Buffer): string =>
  createHmac('sha256', key).update('tessera team key check v1').digest('hex')
const keychainAccount = (databaseId: string): string => `team:${databaseId}`

async function kek(passphrase: string, kdf: TeamKeyInfo['kdf']): Promise<Buffer> {
  return Buffer.from(
    await hashRaw(passphrase, {
      memoryCost: kdf.memoryCost,
      timeCost: kdf.timeCost,
      parallelism: kdf.parallelism,
      outputLen: 32,
      salt: Buffer.from(kdf.salt, 'base64'),
    }),
  )
}

function wrap(dataKey: Buffer, wrappingKey: Buffer, databaseId: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', wrappingKey, iv)
  cipher.setAAD(Buffer.from(`tessera team key v1:${databaseId}`))
  const body = Buffer.concat([cipher.update(dataKey), cipher.final()])
  return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), body]).toString('base64')
}

function unwrap(wrapped: string, wrappingKey: Buffer, databaseId: string): Buffer | undefined {
  const raw = Buffer.from(wrapped, 'base64')
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrappingKey, raw.subarray(1, 13))
    decipher.setAAD(Buffer.from(`tessera team key v1:${databaseId}`))
    decipher.setAuthTag(raw.subarray(13, 29))
    return Buffer.concat([decipher.update(raw.subarray(29)), decipher.final()])
  } catch {
    return undefined
  }
}

function checks(key: Buffer, info: TeamKeyInfo): boolean {
  const a = Buffer.from(keyCheckOf(key), 'hex')
  const b = Buffer.from(info.check, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Why a connection failed, in words a person can act on. pg's errors carry the server's SQLSTATE
 * (`code`) or Node's socket error code.
 */
export function connectionError(url: string, e: unknown): DatabaseOpenError {
  const err = e as { code?: string; message?: string }
  const where = describeUrl(url)
  const message = err.message ?? String(e)
  // The server's own answers carry a SQLSTATE and quote the user and database names, so words in the
  // message ("timeout", "password") say something only about errors raised on this side.
  const fromServer = typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code)
  if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'EHOSTUNREACH') {
    return new DatabaseOpenError(
      'DB_REFUSED',
      `Cannot reach PostgreSQL at ${where}: ${err.code === 'ENOTFOUND' ? 'no such host' : 'the connection was refused'}. Is the server running, and is the address right?`,
    )
  }
  if ((!fromServer && /timeout/i.test(message)) || err.code === 'ETIMEDOUT') {
    return new DatabaseOpenError('DB_REFUSED', `PostgreSQL at ${where} did not answer in time.`)
  }
  // Before the password case: the server's "no pg_hba.conf entry for host …, user "…", database "…", no
  // encryption" quotes the names, and a name with "password" in it must not make this a wrong password.
  if (err.code === '28000' && /no encryption|SSL off|hostssl/i.test(message)) {
    return new DatabaseOpenError(
      'DB_TLS_REQUIRED',
      `PostgreSQL at ${where} accepts only encrypted connections: add ?sslmode=verify-full to the URL (with &sslrootcert=FILE naming its certificate authority when the server's certificate is self-signed).`,
    )
  }
  if (err.code === '28P01' || (err.code === '28000' && /password|authentication/i.test(message))) {
    return new DatabaseOpenError(
      'DB_AUTH_FAILED',
      `PostgreSQL at ${where} refused the user name or password (given in the URL, PGPASSWORD or ~/.pgpass).`,
    )
  }
  if (/does not support SSL|server does not support ssl/i.test(message)) {
    return new DatabaseOpenError(
      'DB_TLS_REQUIRED',
      `The URL asks for TLS but PostgreSQL at ${where} does not offer it: use sslmode=disable only on a trusted network.`,
    )
  }
  if (err.code === '28000') {
    return new DatabaseOpenError(
      'DB_AUTH_FAILED',
      `PostgreSQL at ${where} refused the connection: ${message}`,
    )
  }
  if (err.code === '3D000') {
    return new DatabaseOpenError(
      'DB_MISSING',
      `The database in ${where} does not exist on that server: create it first (createdb), then run tessera init --database-url.`,
    )
  }
  return new DatabaseOpenError('DB_REFUSED', `Cannot use PostgreSQL at ${where}: ${message}`)
}

async function connect(url: string, options: PoolOptions): Promise<{ pool: pg.Pool; root: Kysely<Schema> }> {
  const pool = createPool(url, options)
  try {
    const client = await pool.connect()
    client.release()
  } catch (e) {
    await pool.end().catch(() => undefined)
    throw connectionError(url, e)
  }
  return { pool, root: kyselyOver(pool) }
}

async function tableNames(root: Kysely<Schema>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(root)
  return rows.map((r) => r.name)
}

async function meta(root: Kysely<Schema>): Promise<Map<string, string>> {
  const { rows } = await sql<{ key: string; value: string }>`SELECT key, value FROM tessera_meta`.execute(
    root,
  )
  return new Map(rows.map((r) => [r.key, r.value]))
}

/** The steps that bring a team database from one schema version to the next. */
const UPGRADES: Readonly<Record<number, string>> = {
  10: POSTGRES_UPGRADE_TO_11,
  11: POSTGRES_UPGRADE_TO_12,
  12: POSTGRES_UPGRADE_TO_13,
  13: POSTGRES_UPGRADE_TO_14,
  14: POSTGRES_UPGRADE_TO_15,
  15: POSTGRES_UPGRADE_TO_16,
}

/**
 * Brings a team database written by an earlier version up to this one, one step per transaction. The
 * lock on tessera_meta makes consoles that open it at the same moment take turns: the second one finds
 * the version already raised and does nothing. Returns the version the database is at now.
 */
async function upgrade(root: Kysely<Schema>, version: number): Promise<number> {
  let at = version
  while (UPGRADES[at] !== undefined && at < LATEST_SCHEMA_VERSION) {
    const from = at
    at = await root.transaction().execute(async (trx) => {
      await sql`LOCK TABLE tessera_meta IN EXCLUSIVE MODE`.execute(trx)
      const now = Number((await meta(trx)).get('schema_version') ?? 0)
      if (now !== from) return now
      await sql.raw(UPGRADES[from]!).execute(trx)
      await sql`UPDATE tessera_meta SET value = ${String(from + 1)} WHERE key = 'schema_version'`.execute(trx)
      return from + 1
    })
  }
  return at
}

async function keychainCall<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof KeychainUnavailableError) return undefined
    throw e
  }
}

/** Opens a team database: the schema at a version this code knows, and the team key. */
export async function openTeamDatabase(
  url: string,
  sources: TeamKeySources,
  options: PoolOptions = {},
): Promise<OpenedTeamDatabase> {
  const { root } = await connect(url, options)
  try {
    const tables = await tableNames(root)
    if (!tables.includes('tessera_meta')) {
      throw new DatabaseOpenError(
        tables.length === 0 ? 'NOT_FOUND' : 'NOT_TESSERA',
        tables.length === 0
          ? `The database at ${describeUrl(url)} is empty: create the team database with "tessera init --database-url".`
          : `The database at ${describeUrl(url)} holds other tables but not Tessera's: it is not a Tessera team database.`,
      )
    }
    const m = await meta(root)
    const version = await upgrade(root, Number(m.get('schema_version') ?? 0))
    if (version > LATEST_SCHEMA_VERSION) {
      throw new DatabaseOpenError(
        'TOO_NEW',
        `The team database was written by a newer version of Tessera (schema ${version}); this version understands schema ${LATEST_SCHEMA_VERSION} at most. Update Tessera on this machine.`,
      )
    }
    if (version < LATEST_SCHEMA_VERSION) {
      throw new DatabaseOpenError(
        'CORRUPT',
        `The team database is at schema ${version}, which this version cannot upgrade (it expects ${LATEST_SCHEMA_VERSION}).`,
      )
    }
    const databaseId = m.get('database_id') ?? ''
    const parsed = teamKeySchema.safeParse(JSON.parse(m.get('team_key') ?? 'null'))
    if (!databaseId || !parsed.success) {
      throw new DatabaseOpenError('CORRUPT', 'The team database lacks its team key information.')
    }
    const dataKey = await loadTeamKey(databaseId, parsed.data, sources)
    return {
      db: postgresStore(root, url, teamSealer(dataKey)),
      url,
      databaseId,
      isKey: isTeamKey(databaseId, parsed.data),
    }
  } catch (e) {
    await root.destroy()
    throw e
  }
}

async function loadTeamKey(databaseId: string, info: TeamKeyInfo, sources: TeamKeySources): Promise<Buffer> {
  const held = await keychainCall(() => sources.keychain.get(keychainAccount(databaseId)))
  if (held && /^[0-9a-f]{64}$/.test(held)) {
    const key = Buffer.from(held, 'hex')
    if (checks(key, info)) return key
  }
  const passphrase = await sources.passphrase?.()
  if (!passphrase) {
    throw new DatabaseOpenError(
      'TEAM_KEY_REQUIRED',
      'This machine does not hold the team key yet: give the team passphrase (TESSERA_TEAM_PASSPHRASE, or type it when asked).',
    )
  }
  const key = unwrap(info.wrapped, await kek(passphrase, info.kdf), databaseId)
  if (!key || !checks(key, info)) {
    throw new DatabaseOpenError('WRONG_KEY', 'The team passphrase is wrong: it does not open the team key.')
  }
  if (sources.remember)
    await keychainCall(() => sources.keychain.set(keychainAccount(databaseId), key.toString('hex')))
  return key
}

export interface CreateTeamOptions extends PoolOptions {
  passphrase: string
  keychain: Keychain
  /** Keep the new team key in this machine's keychain (the console does). */
  remember?: boolean
  /** Lighter Argon2id, for tests; never below TEAM_KDF_FLOOR. */
  kdf?: Partial<Omit<TeamKeyInfo['kdf'], 'salt' | 'algorithm'>>
  /** Runs in the same transaction as the schema: when it throws, the database is left empty. */
  initialize?: (opened: OpenedTeamDatabase) => Promise<void>
}

/**
 * Creates Tessera's schema, the team key and (through `initialize`) the first owner in an empty
 * PostgreSQL database, all in one transaction: a failure at any point leaves the database as it was.
 */
export async function createTeamDatabase(
  url: string,
  options: CreateTeamOptions,
): Promise<OpenedTeamDatabase> {
  const { root } = await connect(url, options)
  try {
    const tables = await tableNames(root)
    if (tables.includes('tessera_meta')) {
      throw new DatabaseOpenError(
        'ALREADY_EXISTS',
        `A Tessera team database already exists at ${describeUrl(url)}; nothing was changed.`,
      )
    }
    if (tables.length > 0) {
      throw new DatabaseOpenError(
        'NOT_EMPTY',
        `The database at ${describeUrl(url)} already holds tables (${tables.slice(0, 3).join(', ')}${tables.length > 3 ? ', …' : ''}): give Tessera an empty database of its own.`,
      )
    }
    const databaseId = randomUUID()
    const dataKey = randomBytes(32)
    const asked = { ...TEAM_KDF_DEFAULTS, ...options.kdf }
    const kdf: TeamKeyInfo['kdf'] = {
      algorithm: 'argon2id',
      memoryCost: Math.max(asked.memoryCost, TEAM_KDF_FLOOR.memoryCost),
      timeCost: Math.max(asked.timeCost, TEAM_KDF_FLOOR.timeCost),
      parallelism: Math.max(asked.parallelism, TEAM_KDF_FLOOR.parallelism),
      salt: randomBytes(16).toString('base64'),
    }
    const info: TeamKeyInfo = {
      kdf,
      wrapped: wrap(dataKey, await kek(options.passphrase, kdf), databaseId),
      check: keyCheckOf(dataKey),
    }
    const opened: OpenedTeamDatabase = {
      db: postgresStore(root, url, teamSealer(dataKey)),
      url,
      databaseId,
      isKey: isTeamKey(databaseId, info),
    }
    await opened.db.transaction(async () => {
      await sql.raw(POSTGRES_SCHEMA).execute(opened.db.q)
      await sql`INSERT INTO tessera_meta (key, value) VALUES
        ('schema_version', ${String(LATEST_SCHEMA_VERSION)}),
        ('database_id', ${databaseId}),
        ('team_key', ${JSON.stringify(info)})`.execute(opened.db.q)
      await options.initialize?.(opened)
    })
    if (options.remember) {
      await keychainCall(() => options.keychain.set(keychainAccount(databaseId), dataKey.toString('hex')))
    }
    return opened
  } catch (e) {
    await root.destroy()
    throw e
  }
}
