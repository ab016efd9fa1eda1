import { z } from 'zod'
import {
  emailSchema,
  emptyInputSchema,
  newPasswordSchema,
  personNameSchema,
  type SessionUser,
} from './common'
import { method, type AreaMethods } from './method'
import type { SessionState } from './session'

export const keyStores = ['keychain', 'passphrase'] as const
export type KeyStore = (typeof keyStores)[number]

export const DB_PASSPHRASE_MIN_LENGTH = 12
export const dbPassphraseSchema = z
  .string()
  .min(DB_PASSPHRASE_MIN_LENGTH, `Use a passphrase of at least ${DB_PASSPHRASE_MIN_LENGTH} characters`)
  .max(1024, 'A passphrase has at most 1024 characters')

/**
 * A team database's address: postgres:// or postgresql://, with a host and a database name. A password
 * in it is a secret like any other: it never appears in a message, a log or the status screen.
 */
export const databaseUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v)
      return (
        (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && !!u.hostname && u.pathname.length > 1
      )
    } catch {
      return false
    }
  }, 'Give the team database as postgres://user:password@host:5432/database')

export const setupInputSchema = z
  .object({
    email: emailSchema,
    name: personNameSchema,
    password: newPasswordSchema,
    keyStore: z.enum(keyStores),
    passphrase: dbPassphraseSchema.optional(),
    /** A team database (PostgreSQL) instead of a file on this computer; `passphrase` is then the team's. */
    databaseUrl: databaseUrlSchema.optional(),
  })
  .refine((v) => (v.keyStore !== 'passphrase' && v.databaseUrl === undefined) || v.passphrase !== undefined, {
    message: 'Enter a database passphrase',
    path: ['passphrase'],
  })
export type SetupInput = z.infer<typeof setupInputSchema>

export const databaseUnlockInputSchema = z.object({ passphrase: z.string().min(1).max(1024) })
/** A console joining a team database that already exists: its address and the team passphrase. */
export const joinTeamInputSchema = z.object({
  databaseUrl: databaseUrlSchema,
  passphrase: z.string().min(1, 'Enter the team passphrase').max(1024),
})
export type JoinTeamInput = z.infer<typeof joinTeamInputSchema>

export interface DatabaseStatus {
  /** The encrypted file on this computer, or a team database on a PostgreSQL server. */
  engine: 'sqlite' | 'postgres'
  /** The file's path, or the server and database name (never a password). */
  path: string
  schemaVersion: number
  keyStore: KeyStore | 'team'
  cipher: string
  userCount: number
  auditEventCount: number
  auditHeadHash: string
}

/** First run and the database: creating it, unlocking it, joining a team's, its status panel. */
export const setupMethods = {
  'setup.createOwner': method<SessionUser>()(setupInputSchema, 'anyone'),
  'database.unlock': method<SessionState>()(databaseUnlockInputSchema, 'anyone'),
  /** First run on a console that joins an existing team database (PostgreSQL). */
  'setup.joinTeam': method<SessionState>()(joinTeamInputSchema, 'anyone'),
  'database.status': method<DatabaseStatus>()(emptyInputSchema, 'settings.read'),
} satisfies AreaMethods<'setup' | 'database'>
